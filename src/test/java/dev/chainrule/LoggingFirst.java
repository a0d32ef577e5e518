package dev.chainrule;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.LoggerFactory;

/**
 * Starts the logging before any test class does. Three classes start at once (see
 * {@code junit-platform.properties}), and loggers asked for while another thread is still starting SLF4J get
 * stand-ins whose calls SLF4J replays afterwards, with three lines of warning on the console. The launcher calls
 * this once, on its own thread, before the first class starts.
 */
public class LoggingFirst implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        LoggerFactory.getILoggerFactory();
    }
}
