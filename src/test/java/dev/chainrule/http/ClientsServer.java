package dev.chainrule.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The server of the tests about clients that leave or read slowly, one context for them all: no work limit (only the
 * client's leaving, or the deadline of the tests' properties, 120 s, stops a computation), an answer memory that holds
 * one 10 MB answer, and a minimum read rate of 1 MB a second. One of its classes at a time ({@code @ResourceLock}):
 * its classes read its compute gate and fill its answer memory, which another class running beside it would change.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ResourceLock("clients-server")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chainrule.limits.max-work=1000000000000000", "chainrule.limits.answer-memory=16000000",
        "chainrule.limits.answer-min-rate=1000000"})
@interface ClientsServer {
}
