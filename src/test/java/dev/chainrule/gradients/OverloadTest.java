package dev.chainrule.gradients;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.http.Answers;
import dev.chainrule.http.HeldSlot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** With every slot taken and no queue, a request is answered 503 with Retry-After at once. */
@GradientsWebSlice
class OverloadTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private Answers answers;

    @Test
    void busyServiceAnswers503WithRetryAfter() throws Exception {
        try (HeldSlot held = HeldSlot.hold(answers)) {
            mvc.perform(post("/v1/gradients").contentType(MediaType.APPLICATION_JSON).content(Examples.RUNNING_EXAMPLE))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "1"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/overloaded"));
        }
        mvc.perform(post("/v1/gradients").contentType(MediaType.APPLICATION_JSON).content(Examples.RUNNING_EXAMPLE))
                .andExpect(status().isOk());
    }
}
