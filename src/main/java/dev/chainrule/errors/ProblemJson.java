package dev.chainrule.errors;

import java.net.URI;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A problem+json body written by hand, for the answers given where no Spring MVC advice runs: the body filters, the
 * CORS refusal and Tomcat's own error reports. The members come in the advice's order (type, title, status, detail,
 * instance), the title is the type's ({@link ProblemTypes#title}), and the detail is quoted as JSON and made
 * well-formed Unicode.
 */
public final class ProblemJson {

    private ProblemJson() {
    }

    /**
     * The body of a problem of {@code type}; {@code path} (the request's) becomes its {@code instance}, none when
     * null; {@code members} are more members as JSON ({@code "max":4194304}), or empty.
     */
    public static String body(URI type, int status, String detail, String path, String members) {
        StringBuilder json = new StringBuilder(256).append("{\"type\":\"").append(type).append("\",\"title\":\"");
        JsonStringEncoder.getInstance().quoteAsString(ProblemTypes.title(type, status), json);
        json.append("\",\"status\":").append(status).append(",\"detail\":\"");
        JsonStringEncoder.getInstance().quoteAsString(JsonText.wellFormed(detail), json);
        json.append('"');
        if (path != null) {
            json.append(",\"instance\":\"").append(ProblemTypes.instance(path)).append('"');
        }
        if (!members.isEmpty()) {
            json.append(',').append(members);
        }
        return json.append('}').toString();
    }
}
