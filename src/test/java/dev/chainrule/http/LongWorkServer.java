package dev.chainrule.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The server of the tests about computations that run to their deadline, one context for them all: no work limit, a
 * deadline of 3 s, two computations at once on two base request threads. One of its classes at a time ({@code
 * @ResourceLock}): its classes read its compute gate (how many computations run), which another class running beside
 * it would change.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ResourceLock("long-work-server")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chainrule.limits.max-work=1000000000000000", "chainrule.limits.deadline=3s",
        "chainrule.limits.max-concurrent=2", "chainrule.request-threads.base=2"})
@interface LongWorkServer {
}
