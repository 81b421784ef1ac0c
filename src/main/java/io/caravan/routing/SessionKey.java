package io.caravan.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One caller session as session affinity knows it: the client key's name and the session the caller named, joined
 * by a NUL so that two clients never share a session whatever they send. A caller may put anything in a session
 * header or field, so the value never shows: {@link #toString()} gives a digest of it, for logs and debuggers.
 */
public final class SessionKey {

    private static final char SCOPE_SEPARATOR = '\0';

    private final String scoped;

    private SessionKey(String scoped) {
        this.scoped = scoped;
    }

    /** The session {@code session} of the client named {@code client}. */
    public static SessionKey of(String client, String session) {
        return new SessionKey(client + SCOPE_SEPARATOR + session);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionKey key && key.scoped.equals(scoped);
    }

    @Override
    public int hashCode() {
        return scoped.hashCode();
    }

    /** A short digest of the key, never the session itself. */
    @Override
    public String toString() {
        return "SessionKey[sha256:" + sha256Hex(scoped).substring(0, 12) + "]";
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
