package dev.chainrule.http;

import dev.chainrule.config.Limits;
import dev.chainrule.errors.BodyTooLargeException;
import dev.chainrule.errors.OverloadedException;
import dev.chainrule.errors.ProblemJson;
import dev.chainrule.errors.ProblemTypes;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads request bodies without holding a thread, so slow clients cannot occupy the threads that serve everyone:
 * the body arrives through a non-blocking {@link ReadListener} into a buffer, and only once it is complete is the
 * request dispatched (on a container thread) to the application, which reads it from memory. A body of known length
 * that came whole with its headers (what every client sending a small request at once does) is taken from Tomcat's
 * buffer without blocking and the request goes on on its own thread: there is nothing to wait for, and a second
 * dispatch per request cost more CPU than the computation of the lecture's example (BENCHMARKS.md). Meanwhile:
 * <ul>
 * <li>a body that stalls (nothing for the connection timeout, 5 s) or trickles (under {@code body-min-rate} bytes a
 * second on average, counted after that same grace, so a client slow to start is not cut off) is answered 408 and its
 * connection closed, within seconds;</li>
 * <li>a body over {@code max-body-bytes} is refused (413) as soon as it crosses the limit;</li>
 * <li>a complete body is dispatched only while the bodies being worked on stay within a memory budget
 * ({@code request-memory}): reading JSON into a tree takes tens of times the body's bytes, so 24 bodies of 4 MiB at
 * once would need gigabytes. Past the budget a body waits (holding no thread) for up to 30 s, and is told to come
 * back (503 with Retry-After) if its turn does not come;</li>
 * <li>the bytes of bodies still arriving or waiting are held to a quarter of that budget together: past it, a body
 * is refused at once (503 with Retry-After) rather than buffered.</li>
 * </ul>
 */
final class BodyReadFilter implements Filter {

    /** Heap a body's bytes take once read into a JSON tree and worked on, per byte (measured: 20 to 55). */
    static final int EXPANSION = 40;
    private static final String BODY = BodyReadFilter.class.getName() + ".body";
    private static final String HELD = BodyReadFilter.class.getName() + ".held";
    /** Bodies up to this size that arrived with their headers are taken at once, on the request's own thread. */
    static final int AT_ONCE = 64 * 1024;

    private final long maxBytes;
    private final long idleNanos;
    private final long minRate;
    private final long waitNanos;
    private final long budget;
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong buffered = new AtomicLong();
    private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
    private final Queue<Reading> waiting = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "body-read-watch");
        t.setDaemon(true);
        // the filter is made while Tomcat starts, whose web application class loader the thread would otherwise keep
        // as its own: it belongs to the filter, which stops it (destroy), not to the web application
        t.setContextClassLoader(BodyReadFilter.class.getClassLoader());
        return t;
    });

    /**
     * @param budget bytes of heap the bodies being worked on may take together (each counts {@link #EXPANSION}× its
     *               size, a body larger than the whole budget counts as the whole budget)
     */
    BodyReadFilter(long maxBytes, long idleMillis, long minRate, long budget) {
        this.maxBytes = maxBytes;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.minRate = minRate;
        this.waitNanos = TimeUnit.SECONDS.toNanos(30);
        this.budget = budget;
        ticker.scheduleWithFixedDelay(this::watch, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Stops the watch and waits for its thread to end, so that the container stopping finds no thread of ours left. */
    @Override
    public void destroy() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(BODY) instanceof byte[] body) {
            request.removeAttribute(BODY);
            try {
                chain.doFilter(new ReadRequest(request, body), response);
            } finally {
                if (request.getAttribute(HELD) instanceof Long held) {
                    request.removeAttribute(HELD);
                    release(held);
                }
            }
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request) || !request.isAsyncSupported()
                || !fromTomcat(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = buffered(request);
        if (body != null && body.length == request.getContentLengthLong()) {
            long weight = weight(body.length);
            if (takeNow(weight)) {
                // the whole body came with the headers (every small request sent at once): nothing to wait for, so it
                // goes on on this thread, with no second dispatch
                try {
                    chain.doFilter(new ReadRequest(request, body), response);
                } finally {
                    release(weight);
                }
                return;
            }
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // this filter's watch decides
        Reading r = new Reading(async, request, response);
        reading.add(r);
        async.addListener(r);
        if (body != null && body.length > 0) {
            r.take(body, body.length);
        }
        if (body != null && body.length == request.getContentLengthLong()) {
            r.onAllDataRead(); // complete, but past the memory budget: it waits for its turn without a thread
        } else {
            request.getInputStream().setReadListener(r);
        }
    }

    /**
     * The part of a body with a declared length (up to {@value #AT_ONCE} bytes) that is already in the connection's
     * buffer, read without blocking: all of it when the client sent the request at once; {@code null} for a body
     * with no declared length or a larger one.
     */
    private static byte[] buffered(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared <= 0 || declared > AT_ONCE || request.getHeader("Transfer-Encoding") != null
                || request.getHeader("Expect") != null) {
            return null;
        }
        ServletInputStream in = request.getInputStream();
        byte[] body = new byte[(int) declared];
        int got = 0;
        // with no read listener, available() looks at the bytes Tomcat holds and never reads the socket; a read
        // then takes those bytes and cannot block
        while (got < body.length && in.available() > 0) {
            int n = in.read(body, got, body.length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got == body.length ? body : java.util.Arrays.copyOf(body, got);
    }

    /** Only a real connection's body is read this way (a test's mock request has its body in memory already). */
    private static boolean fromTomcat(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof jakarta.servlet.ServletRequestWrapper w) {
            r = w.getRequest();
        }
        return r instanceof org.apache.catalina.connector.RequestFacade;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Every 250 ms: stalled and trickling bodies are closed, and bodies that waited too long for memory told so. */
    private void watch() {
        long now = System.nanoTime();
        for (Reading r : reading) {
            long ran = now - r.start;
            if (now - r.lastData > idleNanos) {
                r.refuse(408, "The body stopped arriving for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
                        + " s; the connection is closed.", false);
            } else if (Limits.underMinRate(r.received, minRate, ran, idleNanos)) {
                r.refuse(408, "The body arrives at under " + minRate
                        + " bytes a second; the connection is closed.", false);
            }
        }
        for (Reading r : waiting) {
            if (now - r.readAt > waitNanos) {
                if (waiting.remove(r)) {
                    r.refuse(503, "Too many large bodies are being worked on at once; try again in "
                            + OverloadedException.RETRY_AFTER_SECONDS + " second.", true);
                }
            }
        }
    }

    private long weight(int bytes) {
        return Math.min(budget - budget / 10, Math.max(1L, (long) bytes * EXPANSION));
    }

    /**
     * Dispatches {@code r} if its body fits in the budget now (and nobody waits before it); else it waits. A small body
     * (under a hundredth of the budget: every ordinary request) never queues behind large ones, and large ones leave
     * a tenth of the budget to the small.
     */
    private void admit(Reading r) {
        r.readAt = System.nanoTime();
        if (takeNow(r.weight)) {
            r.dispatch();
        } else {
            waiting.add(r);
            drain();
        }
    }

    /** Takes {@code weight} of the budget if a body may go on now: it fits, and it is small or nobody waits. */
    private boolean takeNow(long weight) {
        return (small(weight) || waiting.isEmpty()) && take(weight);
    }

    private boolean small(long weight) {
        return weight <= budget / 100;
    }

    private boolean take(long weight) {
        long cap = small(weight) ? budget : budget - budget / 10;
        while (true) {
            long used = inUse.get();
            if (used + weight > cap) {
                return false;
            }
            if (inUse.compareAndSet(used, used + weight)) {
                return true;
            }
        }
    }

    private void release(long weight) {
        inUse.addAndGet(-weight);
        drain();
    }

    /** Dispatches waiting bodies, first come first served, while they fit. */
    private void drain() {
        Reading next;
        while ((next = waiting.peek()) != null && take(next.weight)) {
            if (waiting.remove(next)) {
                next.dispatch();
            } else {
                inUse.addAndGet(-next.weight);
            }
        }
    }

    /** One body being read. */
    private final class Reading implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private byte[] body; // read straight into: sized for a declared length, grown for a chunked body
        private int count;
        private final AtomicBoolean done = new AtomicBoolean();
        private final long start = System.nanoTime();
        private volatile long lastData = start;
        private volatile long readAt;
        private long weight;
        private long counted; // bytes of this body in buffered, until it is dispatched or refused
        private volatile long received;

        Reading(AsyncContext async, HttpServletRequest request, HttpServletResponse response) {
            this.async = async;
            this.request = request;
            this.response = response;
            long declared = request.getContentLengthLong();
            this.body = new byte[(int) Math.min(Math.max(declared, 256), maxBytes)];
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = request.getInputStream();
            while (!done.get() && in.isReady()) {
                if (count == body.length) {
                    body = java.util.Arrays.copyOf(body, (int) Math.min(2L * body.length, maxBytes + 1));
                }
                int n = in.read(body, count, body.length - count);
                if (n < 0) {
                    return;
                }
                took(n);
            }
        }

        /** Takes the first {@code n} bytes of {@code prefix} as the body's start. */
        void take(byte[] prefix, int n) {
            System.arraycopy(prefix, 0, body, count, n);
            took(n);
        }

        /** Counts the {@code n} bytes just read into the body (refusing it past the limits). */
        private void took(int n) {
            lastData = System.nanoTime();
            if (buffered.addAndGet(n) > budget / 4) {
                buffered.addAndGet(-n);
                refuse(503, "Too many bodies are arriving at once; try again in "
                        + OverloadedException.RETRY_AFTER_SECONDS + " second.", true);
                return;
            }
            counted += n;
            received += n;
            count += n;
            if (count > maxBytes) {
                refuse(413, "The body has more than " + maxBytes + " bytes; at most " + maxBytes
                        + " are read.", false);
            }
        }

        @Override
        public void onAllDataRead() {
            if (done.get() || !reading.remove(this)) {
                return;
            }
            weight = weight(count);
            admit(this);
        }

        private void unbuffer() {
            long n;
            synchronized (this) {
                n = counted;
                counted = 0;
            }
            buffered.addAndGet(-n);
        }

        void dispatch() {
            unbuffer();
            if (!done.compareAndSet(false, true)) {
                release(weight);
                return;
            }
            request.setAttribute(BODY, count == body.length ? body : java.util.Arrays.copyOf(body, count));
            request.setAttribute(HELD, weight);
            async.dispatch();
        }

        @Override
        public void onError(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof BodyTooLargeException) {
                    refuse(413, "The body has more than " + maxBytes + " bytes; at most " + maxBytes
                            + " are read.", false);
                    return;
                }
                if (c instanceof java.net.SocketTimeoutException) {
                    refuse(408, "The body stopped arriving; the connection is closed.", false);
                    return;
                }
            }
            // the client has gone, or sent what cannot be read: answer if anyone listens (a 400), then close
            waiting.remove(this);
            refuse(400, "The body could not be read.", false);
        }

        /** Answers with a problem and closes the connection (the rest of the body is not read). */
        void refuse(int status, String detail, boolean retry) {
            reading.remove(this);
            unbuffer();
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                response.setStatus(status);
                response.setHeader("Connection", "close");
                if (retry) {
                    response.setHeader("Retry-After", OverloadedException.RETRY_AFTER_SECONDS);
                }
                response.setContentType("application/problem+json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                byte[] body = (status == 413 ? BodySizeLimitFilter.bodyTooLarge(detail, maxBytes, request.getRequestURI())
                        : ProblemJson.body(status == 503 ? ProblemTypes.OVERLOADED : ProblemTypes.BAD_REQUEST, status, detail,
                                request.getRequestURI(), "")).getBytes(StandardCharsets.UTF_8);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            } catch (IOException | IllegalStateException e) {
                // the client is gone: nothing to answer
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException ignored) {
                    // already completed
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            reading.remove(this);
            if (waiting.remove(this)) {
                unbuffer();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            refuse(408, "The body did not arrive in time.", false);
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // nothing to do
        }
    }

    /** The request with its body already in memory. */
    private static final class ReadRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                // the bytes at their exact size, not through InputStream's 16 kB chunks (measured: 10 % of the bytes
                // a lecture-sized request allocated); read whole from the start, the body itself, not a copy of it
                // (large.json: 1.2 MB more per request), as nothing writes to a request's bytes
                @Override
                public byte[] readAllBytes() {
                    if (in.available() == body.length) {
                        in.skip(body.length);
                        return body;
                    }
                    return in.readAllBytes();
                }

                @Override
                public int available() {
                    return in.available();
                }

                // Spring peeks at the first byte to tell an empty body; with mark/reset it needs no pushback copy
                @Override
                public boolean markSupported() {
                    return true;
                }

                @Override
                public void mark(int limit) {
                    in.mark(limit);
                }

                @Override
                public void reset() {
                    in.reset();
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already read");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8.name() : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body),
                    java.nio.charset.Charset.forName(charset)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
