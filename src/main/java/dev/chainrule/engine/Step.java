package dev.chainrule.engine;

import java.util.List;

/**
 * One step of the backward pass: downstream = upstream × local. Upstream and downstream are in Jacobian form
 * (a 1×n row for a vector) so the product is literal, except where {@link Kind} says otherwise. The step says what
 * kind of edge it is, so a renderer never reads that from its text.
 *
 * @param gradient      the name of the quantity whose gradient this step produces, e.g. {@code z} or {@code W}
 * @param equation      the chain rule as used, e.g. {@code ∂J/∂z = ∂J/∂h · diag(f'(z))}, as a formula that renders
 *                      itself as text and as LaTeX
 * @param upstreamParts the names of the contributions stacked in the upstream (a shared parameter's windows, say:
 *                      {@code δ}, {@code δ_c}), or null when it is one value or a batch's rows
 * @param localParts    the same for the local term
 * @param alias         the lecture's own name for the gradient this step makes ({@code δ1} for ∂J/∂z1), or null
 */
public record Step(String gradient, Formula equation, Term upstream, Term local, Term downstream, Kind kind,
        List<String> upstreamParts, List<String> localParts, String alias) {

    /** What the step multiplies. */
    public enum Kind {
        /** ∂J/∂ŷ where the chain starts: the upstream is ∂J/∂J = 1 and the local is the loss's own derivative. */
        SEED,
        /** downstream = upstream × local, a row times a matrix. */
        PRODUCT,
        /** a weight's ∂J/∂W = δᵀ·inᵀ: the outer product of two rows (∂z/∂W is a 3-tensor), summed over contributions. */
        OUTER,
        /** a sum, not a product: a value that feeds two branches (the L2 penalty's 2λW added to ∂J/∂W). */
        SUM
    }

    public Step {
        upstreamParts = upstreamParts == null ? null : List.copyOf(upstreamParts);
        localParts = localParts == null ? null : List.copyOf(localParts);
    }

    /** A step of one kind whose terms are single values or a batch's rows. */
    public Step(String gradient, Formula equation, Term upstream, Term local, Term downstream, Kind kind) {
        this(gradient, equation, upstream, local, downstream, kind, null, null, null);
    }

    /** A step whose contributions are named (a shared parameter's windows). */
    public Step(String gradient, Formula equation, Term upstream, Term local, Term downstream, Kind kind,
            List<String> upstreamParts, List<String> localParts) {
        this(gradient, equation, upstream, local, downstream, kind, upstreamParts, localParts, null);
    }

    /** The same step with the lecture's name for its gradient. */
    public Step named(String newAlias) {
        return new Step(gradient, equation, upstream, local, downstream, kind, upstreamParts, localParts, newAlias);
    }

    /** The chain rule as used, in Unicode text. */
    public String formula() {
        return equation.text();
    }

    /** The same step with other values (rounded, say). */
    public Step withTerms(Term newUpstream, Term newLocal, Term newDownstream) {
        return new Step(gradient, equation, newUpstream, newLocal, newDownstream, kind, upstreamParts, localParts, alias);
    }

    /** A named value, e.g. {@code ∂h/∂z} and its explicit matrix. */
    public record Term(String name, Tensor value) {
    }
}
