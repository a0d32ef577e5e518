package dev.chainrule;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.LoggerFactory;

/**
 * Starts the logging before any test class does. Three classes start at once (see
 * {@code junit-platform.properties}), and loggers asked for while another thread is still starting SLF4J get
 * stand-ins whose calls SLF4J replays afterwards, with three lines of warning on the console.
 */
public class LoggingFirst implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LoggerFactory.getILoggerFactory();
    }
}
