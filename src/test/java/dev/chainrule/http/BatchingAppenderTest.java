package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request log's writer: every line from every thread, each whole, flushed without waiting for more. */
class BatchingAppenderTest {

    @Test
    void writesEveryLineFromManyThreadsAndFlushesWhenIdle() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%m%n");
        encoder.start();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AsyncRequestLog.BatchingAppender appender = new AsyncRequestLog.BatchingAppender(encoder, sink);
        appender.setContext(context);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("test");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    appender.doAppend(new LoggingEvent("x", logger, Level.INFO, "line " + thread + "-" + i, null, null));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        String[] lines = waitForLines(sink, 8000);
        assertEquals(8000, lines.length);
        for (String line : lines) {
            assertEquals(true, line.matches("line [0-7]-\\d+"), line);
        }
        // a single line on a quiet log is written at once, not held for a batch
        appender.doAppend(new LoggingEvent("x", logger, Level.INFO, "alone", null, null));
        assertEquals("alone", waitForLines(sink, 8001)[8000]);
        appender.stop();
    }

    private static String[] waitForLines(ByteArrayOutputStream sink, int expected) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            String text;
            synchronized (sink) {
                text = sink.toString(StandardCharsets.UTF_8);
            }
            String[] lines = text.isEmpty() ? new String[0] : text.split("\n");
            if (lines.length >= expected) {
                return lines;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the lines were not written");
    }
}
