package dev.chainrule.system;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Writes the one-line-per-request log from one background thread, in batches. Logback's console appender writes
 * and flushes each line under a lock; with every request thread logging, they queued on it, and each line cost a
 * write to standard output (measured: 1.2 ms of CPU per request with it inline when standard output is a file,
 * 0.5 ms without the line). Here request threads only enqueue; the writer takes whatever lines have gathered,
 * writes them with one flush, and so flushes at once when traffic is light. The lines keep Boot's console format,
 * plain or structured ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE}): the console appender's own encoder formats
 * them. None is dropped: a full queue makes the request thread wait.
 */
@Component
class AsyncRequestLog implements ApplicationListener<ApplicationStartedEvent> {

    static final String LOGGER = "dev.chainrule.requests";
    private static final String NAME = "BATCHED_REQUESTS";

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another logging system: leave it as configured
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender("CONSOLE");
        Logger requests = context.getLogger(LOGGER);
        if (!(console instanceof OutputStreamAppender<ILoggingEvent> stream) || requests.getAppender(NAME) != null) {
            return;
        }
        BatchingAppender batching = new BatchingAppender(stream.getEncoder(),
                new FileOutputStream(FileDescriptor.out));
        batching.setContext(context);
        batching.setName(NAME);
        batching.start();
        requests.addAppender(batching);
        requests.setAdditive(false);
    }

    /** Queues events; one daemon thread encodes and writes them, a batch per flush. */
    static final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private static final int BATCH = 512;
        private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(8192);
        private final Encoder<ILoggingEvent> encoder;
        private final OutputStream out;
        private Thread writer;

        BatchingAppender(Encoder<ILoggingEvent> encoder, OutputStream target) {
            this.encoder = encoder;
            this.out = new BufferedOutputStream(target, 1 << 16);
        }

        @Override
        public void start() {
            writer = new Thread(this::drain, "request-log");
            writer.setDaemon(true);
            writer.start();
            super.start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // capture the message and the MDC now, on the request's thread
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void drain() {
            List<ILoggingEvent> batch = new ArrayList<>(BATCH);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    batch.add(queue.take());
                    queue.drainTo(batch, BATCH - 1);
                    for (ILoggingEvent e : batch) {
                        write(e);
                    }
                    out.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                    addError("cannot write the request log", e);
                } finally {
                    batch.clear();
                }
            }
        }

        /** One line; a line that cannot be encoded is reported, and the others still written. */
        private void write(ILoggingEvent event) throws IOException {
            byte[] line;
            try {
                line = encoder.encode(event); // Boot's encoders keep no per-call state, so the console's may serve here too
            } catch (RuntimeException e) {
                addError("cannot encode a request log line", e);
                return;
            }
            out.write(line);
        }

        @Override
        public void stop() {
            super.stop();
            if (writer != null) {
                writer.interrupt();
            }
        }
    }
}
