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
    /** The client of an open gateway, which has no client keys. */
    public static final String ANYONE = "anyone";

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
        return client(request::getHeader) != null;
    }

    /** @param header the caller's header by name, {@code null} when absent (a WebSocket's handshake headers) */
    public boolean authenticated(Function<String, String> header) {
        return client(header) != null;
    }

    /**
     * Which configured client key the request presents, as a name that is no secret ({@code client-1} for the first
     * key), {@link #ANYONE} when the gateway is open, or {@code null} when it presents none of them. What one client
     * made (a kept response) is kept from the others by this name.
     *
     * @param header the caller's header by name, {@code null} when absent
     */
    public String client(Function<String, String> header) {
        if (open()) {
            return ANYONE;
        }
        String presented = presentedKey(header);
        if (presented == null) {
            return null;
        }
        byte[] digest = digest(presented);
        int matched = -1;
        for (int i = 0; i < keyDigests.size(); i++) {
            // Every key is compared, so the time taken does not tell which one matched.
            if (MessageDigest.isEqual(keyDigests.get(i), digest)) {
                matched = i;
            }
        }
        return matched < 0 ? null : "client-" + (matched + 1);
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
