package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.budget.Cost;
import dev.chainrule.config.Limits;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** A handler that a POST reaches and that returns anything but {@link Work} keeps the service from starting. */
class GuardedEndpointsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(Limits.class)
    static class Limited {
    }

    @RestController
    static class Guarded {
        @PostMapping("/guarded")
        Work compute() {
            return Work.json(Cost.ZERO, "", "this", deadline -> "done");
        }

        @GetMapping("/page")
        String page() {
            return "a page computes nothing";
        }
    }

    /** Computes and answers by itself: no price, no gate, no deadline. */
    @RestController
    static class Unguarded {
        @PostMapping("/unguarded")
        String compute() {
            return "computed outside the gate";
        }
    }

    /** Mapped for every method, so a POST reaches it too. */
    @RestController
    static class AnyMethod {
        @RequestMapping("/any")
        String compute() {
            return "computed outside the gate";
        }
    }

    private static WebApplicationContextRunner service(Class<?> controller) {
        return new WebApplicationContextRunner()
                // as SpringApplication sets it up: durations such as "5s" in @Value
                .withInitializer(context -> context.getBeanFactory().setConversionService(
                        ApplicationConversionService.getSharedInstance()))
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
                        DispatcherServletAutoConfiguration.class))
                .withUserConfiguration(Limited.class, HttpConfiguration.class, controller);
    }

    @Test
    void guardedHandlersStartWithWorkAnsweredFirst() {
        service(Guarded.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers().get(0))
                    .isInstanceOf(WorkReturnValueHandler.class);
        });
    }

    @Test
    void aPostHandlerReturningAnythingButWorkStopsTheStart() {
        service(Unguarded.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Unguarded.compute, which returns String");
        });
    }

    @Test
    void aHandlerForEveryMethodIsAPostHandlerToo() {
        service(AnyMethod.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("AnyMethod.compute");
        });
    }
}
