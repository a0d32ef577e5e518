package dev.chainrule.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /problems/NAME}: the page a problem's {@code type} resolves to, saying what it means and what to do;
 * {@code GET /problems}: all of them. Small HTML a person reads in the browser the error came from, or, for a client
 * that asks for JSON ({@code Accept: application/json} or {@code application/problem+json}, preferred to HTML), the
 * same as {@link Entry} objects.
 */
@RestController
class ProblemPages {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    /** One problem type as JSON: its page's content; {@code status} is the HTTP status it comes with. */
    record Entry(String type, String title, int status, String description, String remedy) {

        static Entry of(ProblemTypes.Explanation e) {
            return new Entry(e.type().toString(), e.title(), e.code(), e.meaning(), e.remedy());
        }
    }

    /** Every problem type as JSON. */
    record EntryList(List<Entry> problems) {
    }

    @GetMapping(path = "/problems", produces = {MediaType.TEXT_HTML_VALUE, MediaType.APPLICATION_JSON_VALUE,
            MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    ResponseEntity<?> all(@RequestHeader(name = "Accept", required = false) String accept) {
        MediaType json = json(accept);
        if (json != null) {
            return ResponseEntity.ok().varyBy("Accept").contentType(json)
                    .body(new EntryList(ProblemTypes.ALL.stream().map(Entry::of).toList()));
        }
        StringBuilder body = new StringBuilder("<h1>chainrule: problem types</h1>\n<p>Every error is")
                .append(" <code>application/problem+json</code> (RFC 9457) whose <code>type</code> is one of these.</p>\n<dl>\n");
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            body.append("<dt><a href=\"").append(e.type()).append("\"><code>").append(e.type()).append("</code></a> (")
                    .append(e.status()).append(") ").append(e.title()).append("</dt>\n<dd>").append(e.meaning()).append("</dd>\n");
        }
        body.append("</dl>\n<p>The API: <a href=\"/openapi.yaml\">/openapi.yaml</a>. As JSON:"
                + " <code>Accept: application/json</code>.</p>\n");
        return page("chainrule: problem types", body.toString());
    }

    @GetMapping(path = "/problems/{name}", produces = {MediaType.TEXT_HTML_VALUE, MediaType.APPLICATION_JSON_VALUE,
            MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    ResponseEntity<?> one(@PathVariable("name") String name,
            @RequestHeader(name = "Accept", required = false) String accept) {
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            if (e.name().equals(name)) {
                MediaType json = json(accept);
                if (json != null) {
                    return ResponseEntity.ok().varyBy("Accept").contentType(json).body(Entry.of(e));
                }
                return page("chainrule: " + e.title(), "<h1><code>" + e.type() + "</code>: " + e.title() + "</h1>\n"
                        + "<p>HTTP status: " + e.status() + ".</p>\n<h2>What it means</h2>\n<p>" + e.meaning() + "</p>\n"
                        + "<h2>What to do</h2>\n<p>" + e.remedy() + "</p>\n"
                        + "<p><a href=\"/problems\">Every problem type</a> · <a href=\"/openapi.yaml\">the API</a></p>\n");
            }
        }
        ProblemDetail p = ProblemTypes.problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "There is no problem type "
                + JsonText.quote(name) + Names.didYouMean(name, ProblemTypes.ALL.stream().map(ProblemTypes.Explanation::name).toList())
                + "; /problems lists them all.");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /**
     * The JSON media type to answer with when {@code Accept} prefers JSON to HTML, else {@code null}: of the types it
     * asks for, by quality and then in its order, the first that covers {@code text/html} (as the full wildcard
     * does) or {@code application/json} or {@code application/problem+json} decides. So HTML stays the default: no
     * header, the full wildcard, a browser's list.
     */
    static MediaType json(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        List<MediaType> asked;
        try {
            asked = new java.util.ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            return null;
        }
        asked.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed()); // stable: in order
        for (MediaType m : asked) {
            if (m.getQualityValue() == 0 || m.includes(MediaType.TEXT_HTML)) {
                return null;
            }
            for (MediaType j : List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)) {
                if (m.includes(j)) {
                    return j;
                }
            }
        }
        return null;
    }

    private static ResponseEntity<String> page(String title, String body) {
        String html = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + title
                + "</title></head>\n<body>\n" + body + "</body>\n</html>\n";
        return ResponseEntity.ok().varyBy("Accept").contentType(HTML).body(html);
    }
}
