package dev.chainrule.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.chainrule.ApiTest;
import dev.chainrule.errors.SecurityHeaders;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The two pages over plain HTTP: every asset they load (and every module a script imports, every font a stylesheet
 * names) is on the service's own origin and is served; no inline script; the security headers; /openapi.yaml's
 * content type. (That the API's CORS is unchanged is LectureApiTest's preflight check, run with these headers on.)
 */
class PageAssetsTest extends ApiTest {

    private static final Pattern JS_IMPORT = Pattern.compile("(?m)^\\s*(?:import|export)\\b[^'\"]*?\\bfrom\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]+)['\"]?\\s*\\)");

    @Test
    void openApiIsServedAsYaml() {
        api().when().get("/openapi.yaml").then().statusCode(200)
                .contentType(startsWith("application/yaml"))
                .body(startsWith("openapi: "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/docs/"})
    void everyAssetIsSameOriginAndServed(String page) {
        Response html = raw().when().get(page);
        html.then().statusCode(200).contentType(startsWith("text/html"));
        URI base = URI.create("http://localhost:" + port + page);
        Document doc = Jsoup.parse(html.asString(), base.toString());

        assertThat(doc.select("script:not([src])")).as("inline scripts (the CSP forbids them)").isEmpty();
        assertThat(doc.getAllElements().stream().flatMap(e -> e.attributes().asList().stream())
                .filter(a -> a.getKey().toLowerCase().startsWith("on")).map(a -> a.getKey()).toList())
                .as("inline event handlers").isEmpty();

        List<String> assets = new ArrayList<>();
        for (Element e : doc.select("script[src], link[href], img[src], source[src], iframe[src], object[data], video[src], audio[src]")) {
            String url = e.hasAttr("src") ? e.attr("src") : e.hasAttr("href") ? e.attr("href") : e.attr("data");
            assets.add(url);
        }
        assertThat(assets).as("the page loads scripts and styles").isNotEmpty();

        // Crawl: the HTML's assets, the modules they import and the files the stylesheets name.
        Set<URI> seen = new LinkedHashSet<>();
        Deque<URI> todo = new ArrayDeque<>();
        assets.forEach(a -> todo.add(sameOrigin(base, a, page)));
        while (!todo.isEmpty()) {
            URI url = todo.poll();
            if (!seen.add(url)) {
                continue;
            }
            Response r = raw().when().get(url.getRawPath());
            r.then().statusCode(200);
            if (url.getPath().endsWith(".js") && r.asString().contains("import")) {
                Matcher m = JS_IMPORT.matcher(r.asString());
                while (m.find()) {
                    todo.add(sameOrigin(url, m.group(1), url.getPath()));
                }
            }
            if (url.getPath().endsWith(".css")) {
                Matcher m = CSS_URL.matcher(r.asString());
                while (m.find()) {
                    if (!m.group(1).startsWith("data:")) {
                        todo.add(sameOrigin(url, m.group(1), url.getPath()));
                    }
                }
            }
        }
        if (page.equals("/")) {
            assertThat(seen).as("the crawl followed the module imports and KaTeX's fonts")
                    .anyMatch(u -> u.getPath().endsWith("/playground/api.js"))
                    .anyMatch(u -> u.getPath().endsWith(".woff2"));
        }
    }

    /** The asset's URL, after checking it names no other origin (no scheme, no host, no protocol-relative //). */
    private URI sameOrigin(URI base, String reference, String where) {
        URI ref = URI.create(reference.trim());
        assertThat(ref.getScheme()).as("%s in %s names a scheme", reference, where).isNull();
        assertThat(ref.getRawAuthority()).as("%s in %s names a host", reference, where).isNull();
        URI resolved = base.resolve(ref);
        assertThat(resolved.getAuthority()).isEqualTo(base.getAuthority());
        return URI.create(resolved.getScheme() + "://" + resolved.getAuthority() + resolved.getRawPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/docs/", "/playground/main.js", "/openapi.yaml"})
    void pagesCarryTheSecurityHeaders(String path) {
        raw().when().get(path).then().statusCode(200)
                .header("Content-Security-Policy", equalTo(SecurityHeaders.CONTENT_SECURITY_POLICY))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
        assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY)
                .contains("default-src 'self'", "script-src 'self';", "connect-src 'self'", "font-src 'self'",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval", "http:", "https:", "*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/docs", "/swagger-ui.html", "/swagger-ui/"})
    void theDocsAreFoundWhereUsersLook(String path) {
        raw().redirects().follow(false).when().get(path).then().statusCode(302)
                .header("Location", endsWith("/docs/"));
    }
}
