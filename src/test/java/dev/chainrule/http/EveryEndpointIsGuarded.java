package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.ApiTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks every handler mapping of the running service and posts to each endpoint a POST reaches, in each media type
 * it produces, the request examples of {@code openapi.yaml}, in a service configured so that each must be refused
 * ({@link OverBudgetTest}: nothing is within {@code max-work}; {@link PastDeadlineTest}: no computation has time).
 * An endpoint added without the guard, or without an example in the contract to try it with, fails here.
 */
abstract class EveryEndpointIsGuarded extends ApiTest {

    private static final Set<RequestMethod> COMPUTING = Set.of(RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.PATCH, RequestMethod.DELETE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private ApplicationContext context;

    @Autowired
    protected ComputeGate gate;

    /** One request to try: where, in which media type, with which body. */
    record Attempt(String path, String accept, String example, String body) {
    }

    /** What the service must answer to one attempt. */
    abstract void refuses(Attempt attempt, Response response);

    @Test
    void everyComputingEndpointRefusesWhatItMayNotRun() throws IOException {
        List<Attempt> attempts = attempts();
        assertThat(attempts).extracting(Attempt::path)
                .as("the endpoints a POST reaches").contains("/v1/gradients", "/v1/graph", "/v1/grade", "/v1/grade/batch",
                        "/v1/variants", "/v1/train");
        long started = gate.started();
        for (Attempt a : attempts) {
            Response r = api().contentType(MediaType.APPLICATION_JSON_VALUE).accept(a.accept()).body(a.body())
                    .when().post(a.path());
            refuses(a, r);
        }
        afterAll(started);
    }

    /** Checked once every attempt is answered, with the computations started before the first. */
    void afterAll(long startedBefore) {
    }

    /** Every endpoint of the service a POST (or PUT, PATCH, DELETE) reaches, with each of its request examples. */
    private List<Attempt> attempts() throws IOException {
        Map<String, Object> contract = new Yaml().load(Files.readString(Path.of("openapi.yaml")));
        List<Attempt> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
                Class<?> type = e.getValue().getBeanType();
                Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
                if (!type.getName().startsWith("dev.chainrule.") || ErrorController.class.isAssignableFrom(type)
                        || !(methods.isEmpty() || methods.stream().anyMatch(COMPUTING::contains))) {
                    continue;
                }
                Set<MediaType> produces = e.getKey().getProducesCondition().getProducibleMediaTypes();
                for (String path : e.getKey().getPatternValues()) {
                    Map<String, String> examples = examples(contract, path);
                    if (examples.isEmpty()) {
                        missing.add(path);
                    }
                    for (MediaType accept : produces.isEmpty() ? Set.of(MediaType.APPLICATION_JSON) : produces) {
                        examples.forEach((name, body) -> out.add(new Attempt(path, accept.toString(), name, body)));
                    }
                }
            }
        }
        assertThat(missing).as("POST endpoints with no request example in openapi.yaml to try them with").isEmpty();
        return out;
    }

    /** The request examples the contract gives for a POST to {@code path}, by name, as JSON. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> examples(Map<String, Object> contract, String path) {
        Map<String, Object> paths = (Map<String, Object>) contract.get("paths");
        Map<String, Object> operation = (Map<String, Object>) ((Map<String, Object>) paths.getOrDefault(path, Map.of()))
                .get("post");
        Map<String, String> out = new TreeMap<>();
        if (operation == null || !(operation.get("requestBody") instanceof Map<?, ?> body)) {
            return out;
        }
        Map<String, Object> json = (Map<String, Object>) ((Map<String, Object>) body.get("content")).get("application/json");
        if (json.get("example") != null) {
            out.put("example", JSON.writeValueAsString(json.get("example")));
        }
        if (json.get("examples") instanceof Map<?, ?> named) {
            for (Map.Entry<?, ?> e : named.entrySet()) {
                out.put(String.valueOf(e.getKey()), JSON.writeValueAsString(((Map<String, Object>) e.getValue()).get("value")));
            }
        }
        return out;
    }

    static String describe(Attempt a, Response r) {
        return "POST " + a.path() + " (" + a.accept() + ", example " + a.example() + ") answered " + r.statusCode() + ": "
                + r.asString();
    }
}
