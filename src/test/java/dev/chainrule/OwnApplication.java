package dev.chainrule;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The application started by a test itself (to close it, or with an environment of its own), as the child of an
 * empty context. Spring Boot cleans the logging system up when a context without a parent closes, and the next
 * context to start in the JVM then resets logback while the classes in the other lanes log, which prints logback's
 * "No appenders present" warning; a child leaves the logging that every test class shares as it is. The empty parent
 * holds no bean, thread or resource, and is left to the garbage collector.
 */
public final class OwnApplication {

    private OwnApplication() {
    }

    /** A builder of the application, its parent set. */
    public static SpringApplicationBuilder builder() {
        GenericApplicationContext parent = new GenericApplicationContext();
        parent.refresh();
        return new SpringApplicationBuilder(ChainruleApplication.class).parent(parent);
    }
}
