package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/** The query parameters a handler's path takes: its own, and those its mapping leaves to another handler. */
class UnknownQueryParametersTest {

    public static class Handlers {
        @GetMapping(path = "/things/{id}", params = "!seed")
        public void plain(@PathVariable("id") String id) {
        }

        @GetMapping(path = "/things/{id}", params = "seed")
        public void seeded(@PathVariable("id") String id, @RequestParam("seed") String seed) {
        }

        @GetMapping(path = "/things", params = {"mode=fast", "debug!=1"})
        public void conditions(@RequestParam(name = "digits", required = false) String digits) {
        }
    }

    private static List<String> parameters(String method, Class<?>... types) throws Exception {
        return UnknownQueryParameters.parameters(new HandlerMethod(new Handlers(), method, types));
    }

    @Test
    void aParameterTheMappingLeavesToAnotherHandlerIsOneThePathTakes() throws Exception {
        assertEquals(List.of("seed"), parameters("plain", String.class));
        assertEquals(List.of("seed"), parameters("seeded", String.class, String.class), "named once");
        assertEquals(List.of("digits", "mode", "debug"), parameters("conditions", String.class));
    }
}
