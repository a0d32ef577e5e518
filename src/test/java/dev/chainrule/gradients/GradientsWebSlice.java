package dev.chainrule.gradients;

import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.config.Limits;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.wire.WireConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/**
 * A web slice of {@code /v1/gradients}, no server: the controller, the advice, the filters and what they use, with
 * small limits so that each can be crossed by a small body (six layers, 1,000 parameters, a batch of 8, 10⁶ units of
 * work, 900 kB of body) and one computation at a time with no queue. One context for every test that uses it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(controllers = GradientsController.class, properties = {
        "chainrule.limits.max-layers=6", "chainrule.limits.max-parameters=1000", "chainrule.limits.max-batch=8",
        "chainrule.limits.max-work=1000000", "chainrule.limits.max-body-bytes=900000",
        "chainrule.limits.max-concurrent=1", "chainrule.limits.max-queued=0"})
@Import({EngineConfiguration.class, GradientsConfiguration.class, HttpConfiguration.class, WireConfiguration.class,
        Lecture.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class})
@interface GradientsWebSlice {
}
