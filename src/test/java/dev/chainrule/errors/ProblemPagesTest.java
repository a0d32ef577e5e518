package dev.chainrule.errors;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.config.Limits;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.wire.WireConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The problem type pages: HTML by default and for browsers, JSON for a client that prefers it; and they name the
 * settings as docs/configuration.md does, by environment variable. A web slice: the pages and the advice.
 */
@WebMvcTest(controllers = ProblemPages.class)
@Import({EngineConfiguration.class, HttpConfiguration.class, WireConfiguration.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class})
class ProblemPagesTest {

    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Autowired
    private MockMvc mvc;

    private ResultActions page(String path, String accept) throws Exception {
        return mvc.perform(accept == null ? get(path) : get(path).header("Accept", accept));
    }

    @Test
    void htmlIsTheDefaultForBrowsersAndForClientsThatAskForAnything() throws Exception {
        for (String accept : new String[] {null, BROWSER, "*/*", "text/html", "text/html, application/json",
                "application/json;q=0.5, text/*"}) {
            for (String path : new String[] {"/problems", "/problems/invalid-request"}) {
                page(path, accept).andExpect(status().isOk())
                        .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                        .andExpect(header().stringValues("Vary", hasItem("Accept")))
                        .andExpect(content().string(containsString("<code>/problems/invalid-request</code>")));
            }
        }
    }

    @Test
    void theListIsJsonForAClientThatPrefersIt() throws Exception {
        for (String accept : new String[] {"application/json", "application/json, text/html",
                "text/html;q=0.5, application/json", "application/*"}) {
            page("/problems", accept).andExpect(status().isOk())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.problems", hasSize(ProblemTypes.ALL.size())))
                    .andExpect(jsonPath("$.problems[0].type").value("/problems/invalid-request"))
                    .andExpect(jsonPath("$.problems[0].title").value("Invalid request"))
                    .andExpect(jsonPath("$.problems[0].status").value(400))
                    .andExpect(jsonPath("$.problems[0].description", containsString("cannot be computed as sent")))
                    .andExpect(jsonPath("$.problems[0].remedy", containsString("Read errors")))
                    .andExpect(jsonPath("$.problems[*].status", everyItem(org.hamcrest.Matchers.isA(Integer.class))));
        }
        page("/problems", "application/problem+json").andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.problems", hasSize(ProblemTypes.ALL.size())));
    }

    @Test
    void oneTypeIsJsonForAClientThatPrefersIt() throws Exception {
        page("/problems/deadline-exceeded", "application/json").andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.type").value("/problems/deadline-exceeded"))
                .andExpect(jsonPath("$.title").value("Took too long"))
                .andExpect(jsonPath("$.status").value(503))
                .andExpect(jsonPath("$.description", containsString("CHAINRULE_LIMITS_DEADLINE")))
                .andExpect(jsonPath("$.remedy", containsString("Retry-After")));
        page("/problems/bad-request", "application/problem+json").andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400));
        page("/problems/no-such-thing", "application/json").andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
        page("/problems", "text/plain").andExpect(status().isNotAcceptable())
                .andExpect(jsonPath("$.type").value("/problems/not-acceptable"))
                .andExpect(content().string(not(containsString("Exception"))));
    }

    @Test
    void thePagesNameSettingsByTheEnvironmentVariablesTheDocsList() throws Exception {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        Pattern variable = Pattern.compile("\\bCHAINRULE_[A-Z_]+\\b");
        Pattern property = Pattern.compile("\\bchainrule\\.[a-z.-]+[a-z]");
        Set<String> named = new LinkedHashSet<>();
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            String text = e.meaning() + " " + e.remedy();
            Matcher v = variable.matcher(text);
            while (v.find()) {
                named.add(v.group());
                assertTrue(docs.contains("| `" + v.group() + "` |"), v.group() + " is not in docs/configuration.md");
            }
            Matcher p = property.matcher(text);
            while (p.find()) {
                // a property only where the answer's own field holds one (limit), beside its variable
                String asVariable = p.group().toUpperCase().replace('.', '_').replace('-', '_');
                assertTrue(text.contains(asVariable), e.name() + " names " + p.group() + " without " + asVariable);
            }
        }
        assertEquals(Set.of("CHAINRULE_LIMITS_MAX_WORK", "CHAINRULE_LIMITS_MAX_BODY_BYTES",
                "CHAINRULE_LIMITS_DEADLINE", "CHAINRULE_CORS_ALLOWED_ORIGINS"), named);
    }
}
