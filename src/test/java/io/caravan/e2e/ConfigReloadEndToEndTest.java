package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credentials file and the clients file reloaded while the gateway runs: through {@code POST /admin/v1/reload}
 * and by the file watcher; a file that does not parse or validate refused whole, the old configuration serving on,
 * the error (file and line) shown and logged once, and no secret of the refused file anywhere.
 */
class ConfigReloadEndToEndTest {

    private static final String ADMIN = "caravan-test-admin-key-for-reload-0123456789";
    private static final String NEW_SECRET = "sk-never-logged-secret-0123456789abcdef";
    private static final String KEY_ONE = "client-key-one-0123456789abcdef";
    private static final String KEY_TWO = "client-key-two-0123456789abcdef";
    private static final String KEY_THREE = "client-key-three-0123456789abcdef";

    private FakeUpstream upstreamA;
    private FakeUpstream upstreamB;
    private TestGateway gateway;
    private AdminApi admin;

    @BeforeEach
    void upstreams() {
        upstreamA = FakeUpstream.openAi();
        upstreamB = FakeUpstream.openAi();
    }

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, upstreamA, upstreamB);
    }

    private void start(String watchIntervalMs, String clients) throws Exception {
        TestGateway.Builder builder = TestGateway.builder().credential("a", upstreamA, "[m]")
                .set("caravan.admin-keys", ADMIN).set("caravan.reload.interval-ms", watchIntervalMs);
        if (clients != null) {
            builder.clients(clients);
        }
        gateway = builder.start();
        admin = new AdminApi(gateway, ADMIN);
    }

    static String credential(String name, FakeUpstream upstream, String models, String key) {
        return "  - name: " + name + "\n"
                + "    kind: openai\n"
                + "    base-url: " + upstream.baseUrl() + "\n"
                + "    api-key: " + key + "\n"
                + "    models: " + models + "\n";
    }

    private void writeCredentials(String... entries) throws Exception {
        Files.writeString(gateway.credentialsFile(), "credentials:\n" + String.join("", entries));
    }

    private int chat(String model, String clientKey) throws Exception {
        RawClient raw = new RawClient(gateway);
        return raw.send(raw.request(RawClient.OPENAI_CHAT, RawClient.chat(model, "hi", false))
                .setHeader("authorization", "Bearer " + clientKey)).statusCode();
    }

    private int chat(String model) throws Exception {
        return chat(model, TestGateway.CLIENT_KEY);
    }

    @Test
    void aReloadAddsAndRemovesCredentialsAndSaysWhich() throws Exception {
        start("0", null);
        writeCredentials(credential("b", upstreamB, "[m, only-b]", upstreamB.apiKey()));

        AdminApi.Answer answer = admin.post("/admin/v1/reload");

        assertEquals(200, answer.status(), answer.text());
        JsonNode reload = answer.json();
        assertEquals("applied", reload.get("outcome").asText());
        assertEquals("admin", reload.get("trigger").asText());
        assertEquals("[\"b\"]", reload.at("/credentials/added").toString());
        assertEquals("[\"a\"]", reload.at("/credentials/removed").toString());
        assertTrue(reload.get("error").isNull());
        int aBefore = upstreamA.requestCount();
        assertEquals(200, chat("only-b"));
        assertEquals(200, chat("m"));
        assertEquals(aBefore, upstreamA.requestCount(), "a is gone");
        assertEquals(2, upstreamB.requestCount());
        assertEquals(null, admin.listed("a"));
        String models = new RawClient(gateway).get("/v1/models", "authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .body();
        assertTrue(models.contains("\"only-b\""), "the model list follows the reload: " + models);
        assertEquals("unchanged", admin.post("/admin/v1/reload").json().get("outcome").asText());
    }

    @Test
    void aFileThatIsNotYamlIsRefusedWholeAndTheOldSetServes() throws Exception {
        start("0", "  - name: one\n    key: " + KEY_ONE + "\n");
        try (LogCapture log = LogCapture.capture()) {
            writeCredentials(credential("b", upstreamB, "[m]", NEW_SECRET), "    models: [unclosed\n");
            // The clients file changes too: both files are applied, or neither.
            Files.writeString(gateway.clientsFile(), "clients:\n  - name: two\n    key: " + KEY_TWO + "\n");

            AdminApi.Answer refused = admin.post("/admin/v1/reload");
            AdminApi.Answer again = admin.post("/admin/v1/reload");

            assertEquals(422, refused.status(), refused.text());
            JsonNode body = refused.json();
            assertEquals("config_invalid", body.at("/error/code").asText());
            String error = body.at("/error/message").asText();
            assertTrue(error.startsWith(gateway.credentialsFile().toString() + ":"), error);
            assertTrue(error.contains("invalid YAML"), error);
            assertEquals("refused", body.at("/reload/outcome").asText());
            assertEquals(error, body.at("/reload/error").asText());
            assertEquals(422, again.status());
            JsonNode last = admin.get("/admin/v1/config").json().get("last_reload");
            assertEquals("refused", last.get("outcome").asText());
            assertEquals(error, last.get("error").asText());

            assertEquals(200, chat("m", KEY_ONE), "the old client and the old credential serve on");
            assertEquals(401, chat("m", KEY_TWO), "the clients file was not applied either");
            assertEquals(0, upstreamB.requestCount());
            List<String> warnings = log.atLeast(Level.WARN).stream().filter(line -> line.contains("refused")).toList();
            assertEquals(1, warnings.size(), "logged once for the same error: " + warnings);
            assertTrue(warnings.get(0).contains(gateway.credentialsFile().toString()), warnings.get(0));
            assertNoSecret(log, refused, again);
        }
    }

    @Test
    void aFileThatDoesNotValidateIsRefusedWithItsLine() throws Exception {
        start("0", null);
        try (LogCapture log = LogCapture.capture()) {
            writeCredentials(credential("a", upstreamA, "[m]", upstreamA.apiKey()),
                    credential("a", upstreamB, "[m]", NEW_SECRET));

            AdminApi.Answer refused = admin.post("/admin/v1/reload");

            assertEquals(422, refused.status(), refused.text());
            String error = refused.json().at("/error/message").asText();
            assertEquals(gateway.credentialsFile() + ":7: duplicate credential name 'a'", error);
            assertEquals(200, chat("m"));
            assertEquals(0, upstreamB.requestCount(), "the refused file's second 'a' never served");
            assertNoSecret(log, refused);
        }
    }

    private static void assertNoSecret(LogCapture log, AdminApi.Answer... answers) {
        for (String line : log.atLeast(Level.TRACE)) {
            assertFalse(line.contains(NEW_SECRET.substring(3, 20)), line);
        }
        for (AdminApi.Answer answer : answers) {
            assertFalse(answer.text().contains(NEW_SECRET.substring(3, 20)), answer.text());
        }
    }

    @Test
    void theClientsFileIsReloadedTheSameWay() throws Exception {
        start("0", "  - name: one\n    key: " + KEY_ONE + "\n"
                + "  - name: two\n    key: " + KEY_TWO + "\n    models: [m]\n");
        assertEquals(200, chat("m", KEY_TWO));
        assertEquals(401, chat("m", KEY_THREE));

        Files.writeString(gateway.clientsFile(), "clients:\n"
                + "  - name: two\n    key: " + KEY_TWO + "\n    models: [other]\n"
                + "  - name: three\n    key: " + KEY_THREE + "\n");
        AdminApi.Answer answer = admin.post("/admin/v1/reload");

        assertEquals(200, answer.status(), answer.text());
        JsonNode reload = answer.json();
        assertEquals("[\"three\"]", reload.at("/clients/added").toString());
        assertEquals("[\"one\"]", reload.at("/clients/removed").toString());
        assertEquals("[\"two\"]", reload.at("/clients/changed").toString());
        assertEquals("[]", reload.at("/credentials/added").toString());
        assertEquals(200, chat("m", KEY_THREE), "a new key works");
        assertEquals(401, chat("m", KEY_ONE), "a removed key does not");
        assertEquals(403, chat("m", KEY_TWO), "the changed allow-list applies");
        assertFalse(answer.text().contains(KEY_THREE));
    }

    @Test
    void theWatcherAppliesAChangeWithoutBeingAsked() throws Exception {
        start("100", null);
        assertEquals(404, chat("only-b"));

        writeCredentials(credential("a", upstreamA, "[m]", upstreamA.apiKey()),
                credential("b", upstreamB, "[only-b]", upstreamB.apiKey()));

        JsonNode b = awaitListed("b", Duration.ofSeconds(15));
        assertNotNull(b, "the watcher added b");
        assertEquals("ready", b.get("state").asText());
        assertEquals(200, chat("only-b"));
        assertEquals(1, upstreamB.requestCount());
        JsonNode last = admin.get("/admin/v1/config").json().get("last_reload");
        assertEquals("watch", last.get("trigger").asText());
        assertEquals("applied", last.get("outcome").asText());
        assertEquals("[\"b\"]", last.at("/credentials/added").toString());
    }

    @Test
    void theWatcherRefusesABrokenFileAndAppliesItsRepair() throws Exception {
        start("100", null);
        writeCredentials(credential("a", upstreamA, "[m]", upstreamA.apiKey()), "  - name: [broken\n");
        JsonNode refused = awaitLastReload("refused", Duration.ofSeconds(15));
        assertNotNull(refused, "the watcher reported the broken file");
        assertEquals("watch", refused.get("trigger").asText());
        assertTrue(refused.get("error").asText().startsWith(gateway.credentialsFile().toString()));
        assertEquals(200, chat("m"));

        writeCredentials(credential("a", upstreamA, "[m]", upstreamA.apiKey()),
                credential("b", upstreamB, "[only-b]", upstreamB.apiKey()));
        assertNotNull(awaitListed("b", Duration.ofSeconds(15)), "the repaired file was applied");
        assertEquals(200, chat("only-b"));
    }

    @Test
    void aCredentialsFileThatDisappearsIsRefusedAndAClientsFileThatDisappearsRemovesItsClients() throws Exception {
        start("0", "  - name: one\n    key: " + KEY_ONE + "\n");
        Files.delete(gateway.credentialsFile());

        AdminApi.Answer refused = admin.post("/admin/v1/reload");
        assertEquals(422, refused.status());
        assertTrue(refused.json().at("/error/message").asText().contains("gone"), refused.text());
        assertEquals(200, chat("m", KEY_ONE));

        writeCredentials(credential("a", upstreamA, "[m]", upstreamA.apiKey()));
        Files.delete(gateway.clientsFile());
        AdminApi.Answer applied = admin.post("/admin/v1/reload");
        assertEquals(200, applied.status(), applied.text());
        assertEquals("[\"one\"]", applied.json().at("/clients/removed").toString());
        assertEquals(401, chat("m", KEY_ONE));
    }

    private JsonNode awaitListed(String name, Duration bound) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            JsonNode listed = admin.listed(name);
            if (listed != null) {
                return listed;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private JsonNode awaitLastReload(String outcome, Duration bound) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            JsonNode last = admin.get("/admin/v1/config").json().get("last_reload");
            if (last.get("outcome").asText().equals(outcome)) {
                return last;
            }
            Thread.sleep(50);
        }
        return null;
    }
}
