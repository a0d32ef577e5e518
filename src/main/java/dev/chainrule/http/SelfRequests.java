package dev.chainrule.http;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The service's requests to itself (the JIT warm-up over HTTP, {@code gradients/WarmUp}): they carry
 * {@value #HEADER} with a token drawn at start and known only to this process, and are neither logged nor counted in
 * {@code http.server.requests}, so the request log and the metrics show clients only. A client sending the header
 * without the token is served, logged and counted as any other.
 */
@Component
public final class SelfRequests implements ObservationPredicate {

    /** The header a request to itself carries. */
    public static final String HEADER = "X-Chainrule-Warm-Up";

    private final String token;
    private final byte[] tokenBytes;

    public SelfRequests() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of {@value #HEADER} on this process's own requests. */
    public String token() {
        return token;
    }

    /** True for a request this process sent itself (constant time in the token, so it cannot be guessed by timing). */
    public boolean isOurs(HttpServletRequest request) {
        String sent = request.getHeader(HEADER);
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII), tokenBytes);
    }

    /** No HTTP server observation (so no {@code http.server.requests} timing) for a request to itself. */
    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext server && isOurs(server.getCarrier()));
    }
}
