package dev.chainrule.http;

import dev.chainrule.config.Limits;
import dev.chainrule.errors.BodyTooLargeException;
import dev.chainrule.errors.ProblemJson;
import dev.chainrule.errors.ProblemTypes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body over {@code chainrule.limits.max-body-bytes} with 413 before reading it: at once when its
 * Content-Length says so, and as soon as the limit is crossed when it comes chunked. A body sent with a
 * {@code Content-Encoding} (gzip, say) is refused with 415 before it is read too: the service reads bodies only as
 * they are, and would otherwise answer a compressed one as malformed JSON.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    BodySizeLimitFilter(Limits limits) {
        this.maxBytes = limits.maxBodyBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response, "The body has " + declared + " bytes; at most " + maxBytes + " are read.");
            return;
        }
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean body = declared > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (body && coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
            refuseEncoding(request, response, coding.strip());
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private static void refuseEncoding(HttpServletRequest request, HttpServletResponse response, String coding) throws IOException {
        String named = coding.matches("[A-Za-z0-9._-]{1,32}") ? coding : "a content coding";
        response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity"); // RFC 9110 15.5.16: the codings that would do
        response.setHeader("Connection", "close");
        response.getWriter().write(ProblemJson.body(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, 415, "The body is sent with"
                + " Content-Encoding " + named + ", which the service does not decode: send it uncompressed, as"
                + " application/json without a Content-Encoding.", request.getRequestURI(), ""));
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Connection", "close");
        response.getWriter().write(bodyTooLarge(detail, maxBytes, request.getRequestURI()));
    }

    static String bodyTooLarge(String detail, long max, String path) {
        return ProblemJson.body(ProblemTypes.BODY_TOO_LARGE, 413, detail, path,
                "\"limit\":\"chainrule.limits.max-body-bytes\",\"max\":" + max);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        LimitedStream(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new BodyTooLargeException(max);
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
