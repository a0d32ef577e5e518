package dev.chainrule.http;

import dev.chainrule.config.Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * An answer's bytes as built: the first {@code length} bytes of {@code buffer}, written to the response as they are.
 * A large answer is built in a buffer sized from its predicted length, and copying it into an array of its exact
 * length would cost as much memory and time again (large.json: 5.5 MB per request).
 */
public record Written(byte[] buffer, int length) {

    public Written {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside a buffer of " + buffer.length);
        }
    }

    /** All of {@code bytes}. */
    public static Written of(byte[] bytes) {
        return new Written(bytes, bytes.length);
    }

    /** Request attribute: why the answer was cut off mid-way (its client read it too slowly), if it was. */
    public static final String CUT_OFF = Written.class.getName() + ".cutOff";

    /** Registers the converter with Spring MVC (in every slice test too). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Registration implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {
        private final long minRate;
        private final Duration grace;

        /** The limits are not a bean in a slice test: there their defaults apply. */
        Registration(ObjectProvider<Limits> limits, @Value("${server.tomcat.connection-timeout:5s}") Duration grace) {
            this.minRate = limits.getIfAvailable(Limits::defaults).answerMinRate();
            this.grace = grace;
        }

        @Override
        public void configureMessageConverters(org.springframework.http.converter.HttpMessageConverters.ServerBuilder converters) {
            converters.addCustomConverter(new Converter(minRate, grace));
        }
    }

    /**
     * Writes {@link Written} bodies in any media type, with their length; it reads nothing. A large answer is written
     * a piece at a time, and a client that reads it at under {@code minRate} bytes a second on average, counted after
     * a grace of {@code grace} (the connection timeout, as for bodies), is cut off: its connection is closed and the
     * answer's memory and thread are free again. Without this, a client reading a 5 MB answer at a few bytes a second
     * (enough to keep the connection's write timeout from firing) held both for hours.
     */
    static final class Converter extends AbstractHttpMessageConverter<Written> {
        /**
         * Answers up to this size are written at once: the connection's send buffer takes them without waiting. The
         * same line as {@link AnswerMemory#COUNTED_FROM}: a large answer is both counted and paced.
         */
        static final int PACED_FROM = (int) AnswerMemory.COUNTED_FROM;
        private static final int PIECE = 16 * 1024;

        private final long minRate;
        private final long graceNanos;

        Converter(long minRate, Duration grace) {
            super(MediaType.ALL);
            this.minRate = minRate;
            this.graceNanos = grace.toNanos();
        }

        @Override
        protected boolean supports(Class<?> type) {
            return Written.class == type;
        }

        @Override
        public boolean canRead(Class<?> type, MediaType mediaType) {
            return false;
        }

        @Override
        protected Written readInternal(Class<? extends Written> type, HttpInputMessage input) {
            throw new HttpMessageNotReadableException("an answer is not read", input);
        }

        @Override
        protected Long getContentLength(Written written, MediaType contentType) {
            return (long) written.length();
        }

        @Override
        protected void writeInternal(Written written, HttpOutputMessage output) throws IOException {
            OutputStream out = output.getBody();
            int length = written.length();
            if (length <= PACED_FROM || minRate <= 0) {
                out.write(written.buffer(), 0, length);
                return;
            }
            long start = System.nanoTime();
            for (int off = 0; off < length; off += PIECE) {
                long ran = System.nanoTime() - start;
                if (Limits.underMinRate(off, minRate, ran, graceNanos)) {
                    String why = "read " + off + " of " + length + " bytes in " + ran / 1_000_000L + " ms, under "
                            + minRate + " bytes a second";
                    RequestAttributes request = RequestContextHolder.getRequestAttributes();
                    if (request != null) {
                        request.setAttribute(CUT_OFF, why, RequestAttributes.SCOPE_REQUEST); // for the request log
                    }
                    throw new AsyncRequestNotUsableException("the client " + why + ": the connection is closed");
                }
                out.write(written.buffer(), off, Math.min(PIECE, length - off));
            }
        }
    }
}
