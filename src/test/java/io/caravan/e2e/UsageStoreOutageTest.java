package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that cannot take the records (here another process holds SQLite's write lock, as a backup tool or a
 * stuck migration would): requests are served all the same, {@code /healthz} says {@code degraded} and the admin API
 * says why, and once the database is free again every record held meanwhile is written.
 */
class UsageStoreOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = UsageMeteringEndToEndTest.ADMIN_KEY;

    @TempDir
    Path state;

    @Test
    void requestsAreServedWhileTheDatabaseIsLockedAndTheirRecordsWrittenOnceItIsFree() throws Exception {
        String database = "jdbc:sqlite:" + state.resolve("caravan.db");
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[gpt-4o]").store(database)
                        .set("caravan.admin-keys", ADMIN).set("caravan.store.flush-interval-ms", "50").start()) {
            RawClient client = new RawClient(gateway);
            int sent = 5;
            try (Connection lock = DriverManager.getConnection(database); Statement statement = lock.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                for (int i = 0; i < sent; i++) {
                    assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "while locked " + i, false))
                            .statusCode());
                }
                JsonNode health = await(client, "/healthz", null, h -> h.path("status").asText().equals("degraded"));
                assertEquals("unavailable", health.at("/usage_store/status").asText());
                assertTrue(health.at("/usage_store/pending").asInt() >= 1, health.toString());
                JsonNode store = json(client.get("/admin/v1/store", "authorization", "Bearer " + ADMIN));
                assertTrue(store.path("last_error").asText().length() > 0, store.toString());
                statement.execute("ROLLBACK");
            }
            await(client, "/healthz", null, h -> h.path("status").asText().equals("ok")
                    && h.at("/usage_store/pending").asInt() == 0);
            JsonNode usage = await(client, "/admin/v1/usage?group_by=client", ADMIN,
                    u -> u.path("data").size() == 1 && u.at("/data/0/requests").asInt() == sent);
            assertEquals("client-1", usage.at("/data/0/client").asText());
        }
    }

    /** GETs {@code path} until its JSON satisfies {@code done} (bounded: 30 s). */
    private static JsonNode await(RawClient client, String path, String adminKey, Predicate<JsonNode> done)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode last;
        do {
            last = adminKey == null ? json(client.get(path)) : json(client.get(path, "authorization", "Bearer " + adminKey));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(path + " never became what was awaited: " + last);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
