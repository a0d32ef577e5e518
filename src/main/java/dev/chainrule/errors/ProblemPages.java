package dev.chainrule.errors;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /problems/NAME}: the page a problem's {@code type} resolves to, saying what it means and what to do;
 * {@code GET /problems}: all of them. Small HTML a person reads in the browser the error came from.
 */
@RestController
class ProblemPages {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    @GetMapping(path = "/problems", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> all() {
        StringBuilder body = new StringBuilder("<h1>chainrule: problem types</h1>\n<p>Every error is")
                .append(" <code>application/problem+json</code> (RFC 9457) whose <code>type</code> is one of these.</p>\n<dl>\n");
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            body.append("<dt><a href=\"").append(e.type()).append("\"><code>").append(e.type()).append("</code></a> (")
                    .append(e.status()).append(") ").append(e.title()).append("</dt>\n<dd>").append(e.meaning()).append("</dd>\n");
        }
        body.append("</dl>\n<p>The API: <a href=\"/openapi.yaml\">/openapi.yaml</a>.</p>\n");
        return page("chainrule: problem types", body.toString());
    }

    @GetMapping(path = "/problems/{name}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<?> one(@PathVariable("name") String name) {
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            if (e.name().equals(name)) {
                return page("chainrule: " + e.title(), "<h1><code>" + e.type() + "</code>: " + e.title() + "</h1>\n"
                        + "<p>HTTP status: " + e.status() + ".</p>\n<h2>What it means</h2>\n<p>" + e.meaning() + "</p>\n"
                        + "<h2>What to do</h2>\n<p>" + e.remedy() + "</p>\n"
                        + "<p><a href=\"/problems\">Every problem type</a> · <a href=\"/openapi.yaml\">the API</a></p>\n");
            }
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no problem type "
                + JsonText.quote(name) + Names.didYouMean(name, ProblemTypes.ALL.stream().map(ProblemTypes.Explanation::name).toList())
                + "; /problems lists them all.");
        p.setType(ProblemTypes.NOT_FOUND);
        p.setTitle("Not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static ResponseEntity<String> page(String title, String body) {
        String html = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + title
                + "</title></head>\n<body>\n" + body + "</body>\n</html>\n";
        return ResponseEntity.ok().contentType(HTML).body(html);
    }
}
