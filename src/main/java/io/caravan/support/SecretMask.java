package io.caravan.support;

/** Hides secrets in anything a human may read: logs, error bodies, the start-up banner. */
public final class SecretMask {

    private SecretMask() {
    }

    /** Keeps at most the first 4 and last 2 characters, and only when the secret is long enough to spare them. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "(none)";
        }
        if (secret.length() < 12) {
            return "****";
        }
        return secret.substring(0, 4) + "…" + secret.substring(secret.length() - 2);
    }
}
