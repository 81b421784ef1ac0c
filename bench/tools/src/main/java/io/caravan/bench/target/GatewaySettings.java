package io.caravan.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the gateway is told beyond its credentials: who may call it and whether it meters. Two configurations, the
 * two sides of issue 12's comparison:
 * <ul>
 *   <li>{@link #meteringOff}: nothing metered (an empty {@code caravan.store.url}) and the bench's key as a legacy
 *       {@code caravan.client-keys} entry, which has no limits: what the bench ran before issue 12. The clients
 *       file is named but never written, so a {@code clients.yaml} at the repository top level cannot add limits.
 *   <li>{@link #meteringOn}: every request metered into a fresh SQLite file (written behind, the default store),
 *       and the bench's key as a client of a clients file whose limits are all on but far above anything the bench
 *       can reach in a run, so that the limiter does its bookkeeping on every request yet never refuses one.
 * </ul>
 * The admin key opens {@code /admin/v1/*} on the metered gateway (its usage API); the bench itself reads the
 * database file.
 */
public record GatewaySettings(String name, List<String> systemProperties, Path database) {
    public static final String ADMIN_KEY = "bench-admin-key";
    static final String CLIENT_NAME = "bench";

    /** Limits on but never reached: ~10k req/s is 600k requests a minute; the fake's answers cost a few tokens. */
    static final long REQUESTS_PER_MINUTE = 100_000_000L;
    static final long TOKENS_PER_MINUTE = 100_000_000_000L;
    static final int MAX_CONCURRENT = 100_000;
    static final long MONTHLY_TOKEN_BUDGET = 1_000_000_000_000L;

    public static GatewaySettings meteringOff(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new GatewaySettings("off", List.of(
                "-Dcaravan.store.url=",
                "-Dcaravan.clients-file=" + dir.resolve("no-clients.yaml"),
                "-Dcaravan.client-keys=" + Gateway.CLIENT_KEY), null);
    }

    public static GatewaySettings meteringOn(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path clients = dir.resolve("clients.yaml");
        Files.writeString(clients, clientsYaml(Gateway.CLIENT_KEY));
        Path database = dir.resolve("caravan.db");
        return new GatewaySettings("on", List.of(
                "-Dcaravan.store.url=jdbc:sqlite:" + database,
                "-Dcaravan.clients-file=" + clients,
                "-Dcaravan.client-keys=",
                "-Dcaravan.admin-keys=" + ADMIN_KEY), database);
    }

    /** True for the configuration that meters into {@link #database()}. */
    public boolean metered() {
        return database != null;
    }

    static String clientsYaml(String key) {
        return """
                clients:
                  - name: %s
                    key: %s
                    models: ["*"]
                    limits:
                      requests-per-minute: %d
                      tokens-per-minute: %d
                      max-concurrent: %d
                      budget: {tokens: %d, per: month}
                """.formatted(CLIENT_NAME, key, REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, MAX_CONCURRENT,
                MONTHLY_TOKEN_BUDGET);
    }
}
