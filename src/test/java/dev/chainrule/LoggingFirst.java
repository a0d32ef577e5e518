package dev.chainrule;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Starts the logging, as Spring Boot does, before any test class runs. Three classes start at once (see
 * {@code junit-platform.properties}): loggers asked for while another thread is still starting SLF4J get stand-ins
 * whose calls SLF4J replays afterwards, with three lines of warning on the console; and the first context to start
 * resets logback to configure it, while the other lanes already log, which prints logback's "No appenders present"
 * warning. Initialized here once, with the application's properties (its name is in every line), every context finds
 * the logging initialized and leaves it as it is; each still applies its own {@code logging.level} settings. The
 * launcher calls this once, on its own thread, before the first class starts. The contexts that tests start and
 * close themselves are children ({@link OwnApplication}), so that closing them does not clean the logging up.
 */
public class LoggingFirst implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource("classpath:application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LoggingSystem logging = LoggingSystem.get(LoggingFirst.class.getClassLoader());
        logging.getSystemProperties(environment).apply();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(environment), null, null);
    }
}
