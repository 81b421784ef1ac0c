package io.caravan.usage;

import java.util.List;
import java.util.Objects;

/**
 * A client key created at run time (through the admin API): only the key's SHA-256 is kept.
 *
 * @param keySha256       the key's SHA-256, lower-case hex
 * @param models          the allow-list: exact names and {@code *} patterns
 * @param limits          the limits as JSON text, in the format of whoever stores them (opaque here), or {@code null}
 * @param expiresAtMillis when the key stops working, or {@code null} for never
 */
public record StoredClient(String name, String keySha256, List<String> models, String limits, Long expiresAtMillis,
        boolean enabled, long createdAtMillis) {

    public StoredClient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySha256, "keySha256");
        models = List.copyOf(models);
        for (String pattern : models) {
            if (pattern.isEmpty() || pattern.indexOf('\n') >= 0 || pattern.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a model pattern must be one non-empty line");
            }
        }
    }

    @Override
    public String toString() {
        return "StoredClient[name=" + name + ", models=" + models + ", limits=" + limits + ", expiresAtMillis="
                + expiresAtMillis + ", enabled=" + enabled + ", createdAtMillis=" + createdAtMillis + "]";
    }
}
