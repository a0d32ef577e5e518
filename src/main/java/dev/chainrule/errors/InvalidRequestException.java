package dev.chainrule.errors;

import java.util.List;

/** A request that cannot be computed, with the problems found in it (bounded: see {@link FieldErrors}). */
public final class InvalidRequestException extends RuntimeException {

    private final FieldErrors errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(null, null, false, false); // thrown for every bad request: no stack trace to fill in
        this.errors = new FieldErrors(errors);
    }

    @Override
    public String getMessage() {
        FieldError first = errors.get(0);
        return errors.total() + " problem(s) in the request, first: " + first.path() + ": " + first.message();
    }

    /** The problems kept, with the count of those left out (add them to another {@link FieldErrors} to keep it). */
    public FieldErrors errors() {
        return new FieldErrors(errors);
    }
}
