package io.caravan.clients;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One client: a key (kept only as its SHA-256 digest) and what it may do. The name is what logs, metrics, usage
 * records and kept responses know the client by; it is no secret.
 *
 * @param keySha256 the key's SHA-256 digest, 64 hex digits (stored lower-case)
 * @param expires when the key stops working, {@code null} for never
 */
public record ClientSpec(String name, String keySha256, ModelAllowList models, ClientLimits limits, Instant expires,
        boolean enabled, Origin origin) {

    /** Where a client comes from, which decides who may change it. */
    public enum Origin {
        /** The clients file ({@code caravan.clients-file}). */
        FILE,
        /** The legacy {@code caravan.client-keys} list: unnamed keys, no limits. */
        SETTINGS,
        /** Created at run time through the admin API, stored in the database. */
        ADMIN
    }

    /** What a client's name may be made of: it appears in logs, metrics and URLs ({@code /admin/v1/clients/{name}}). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ClientSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a client name is 1 to 64 of A-Z a-z 0-9 . _ -, not '" + name + "'");
        }
        if (!ClientKeys.isSha256Hex(keySha256)) {
            throw new IllegalArgumentException("a key's SHA-256 digest is 64 hex digits");
        }
        keySha256 = keySha256.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(origin, "origin");
    }

    /** A client with a plain key, which is hashed at once and not kept. */
    public static ClientSpec withKey(String name, String key, ModelAllowList models, ClientLimits limits,
            Instant expires, boolean enabled, Origin origin) {
        return new ClientSpec(name, ClientKeys.sha256Hex(key), models, limits, expires, enabled, origin);
    }

    /**
     * Why this client's key cannot be used at {@code now}, for the 401 the caller gets: {@code "the key is disabled"}
     * or {@code "the key expired at 2027-01-01T00:00:00Z"}; {@code null} when it can be used. A key expires at the
     * instant of {@code expires}.
     */
    public String unusableReason(Instant now) {
        if (!enabled) {
            return "the key is disabled";
        }
        if (expires != null && !expires.isAfter(now)) {
            return "the key expired at " + expires;
        }
        return null;
    }

    public boolean usable(Instant now) {
        return unusableReason(now) == null;
    }

    /** Never the digest: even a key's hash is for the registry alone (a weak key could be found from it). */
    @Override
    public String toString() {
        return "ClientSpec[name=" + name + ", models=[" + models + "], limits=" + limits + ", expires=" + expires
                + ", enabled=" + enabled + ", origin=" + origin + "]";
    }
}
