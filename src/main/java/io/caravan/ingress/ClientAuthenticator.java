package io.caravan.ingress;

import io.caravan.exchange.CallerHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks the caller's key against the configured client keys. A key is accepted in any of the headers the
 * supported SDKs send ({@code Authorization: Bearer}, {@code x-api-key}, {@code x-goog-api-key}), on every
 * endpoint. Keys are compared as SHA-256 digests in constant time, so neither timing nor length leaks.
 */
public final class ClientAuthenticator {

    private static final String BEARER = "bearer ";

    private final List<byte[]> keyDigests;

    public ClientAuthenticator(List<String> clientKeys) {
        List<byte[]> digests = new ArrayList<>();
        for (String key : clientKeys) {
            if (!key.isBlank()) {
                digests.add(digest(key.trim()));
            }
        }
        this.keyDigests = List.copyOf(digests);
    }

    /** With no client keys configured the gateway is open (and listens on loopback only). */
    public boolean open() {
        return keyDigests.isEmpty();
    }

    public int keyCount() {
        return keyDigests.size();
    }

    public boolean authenticated(HttpServerRequest request) {
        return authenticated(request::getHeader);
    }

    /** @param header the caller's header by name, {@code null} when absent (a WebSocket's handshake headers) */
    public boolean authenticated(Function<String, String> header) {
        if (open()) {
            return true;
        }
        String presented = presentedKey(header);
        if (presented == null) {
            return false;
        }
        byte[] digest = digest(presented);
        boolean match = false;
        for (byte[] known : keyDigests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    private static String presentedKey(Function<String, String> header) {
        String authorization = header.apply(CallerHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        String apiKey = header.apply(CallerHeaders.X_API_KEY);
        if (apiKey != null) {
            return apiKey.trim();
        }
        String googKey = header.apply(CallerHeaders.X_GOOG_API_KEY);
        return googKey != null ? googKey.trim() : null;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
