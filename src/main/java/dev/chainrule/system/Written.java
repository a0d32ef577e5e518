package dev.chainrule.system;

import java.io.IOException;
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

    /** Registers the converter with Spring MVC (in every slice test too). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Registration implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {
        @Override
        public void configureMessageConverters(org.springframework.http.converter.HttpMessageConverters.ServerBuilder converters) {
            converters.addCustomConverter(new Converter());
        }
    }

    /** Writes {@link Written} bodies in any media type, with their length; it reads nothing. */
    static final class Converter extends AbstractHttpMessageConverter<Written> {

        Converter() {
            super(MediaType.ALL);
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
            output.getBody().write(written.buffer(), 0, written.length());
        }
    }
}
