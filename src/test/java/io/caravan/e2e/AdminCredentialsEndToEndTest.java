package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/v1/credentials} (and disable, enable, reset), {@code /admin/v1/config} and {@code /admin/v1/reload}
 * against a booted gateway: their authentication, their answers' shape, and disable, enable and reset taking effect
 * on where requests go.
 */
class AdminCredentialsEndToEndTest {

    private static final String ADMIN = "caravan-test-admin-key-for-credentials-0123";
    private static final String STORE_PASSWORD = "store-password-never-shown-0123";
    private static final List<String> ENDPOINTS_GET = List.of("/admin/v1/credentials", "/admin/v1/config");
    private static final List<String> ENDPOINTS_POST = List.of("/admin/v1/credentials/a/disable",
            "/admin/v1/credentials/a/enable", "/admin/v1/credentials/a/reset", "/admin/v1/reload");

    private static FakeUpstream upstreamA;
    private static FakeUpstream upstreamB;
    private static TestGateway gateway;
    private static RawClient raw;
    private static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        upstreamA = FakeUpstream.openAi();
        upstreamB = FakeUpstream.openAi();
        gateway = TestGateway.builder()
                .credential("a", upstreamA, "[m, m-*]", 8)
                .credential("b", upstreamB, "[m]", 8)
                .set("caravan.admin-keys", ADMIN)
                .set("caravan.store.password", STORE_PASSWORD)
                .start();
        raw = new RawClient(gateway);
        admin = new AdminApi(gateway, ADMIN);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, upstreamA, upstreamB);
    }

    @AfterEach
    void putBack() throws Exception {
        for (String name : List.of("a", "b")) {
            admin.post("/admin/v1/credentials/" + name + "/enable");
        }
        upstreamA.discardPendingReplies();
        upstreamB.discardPendingReplies();
    }

    private static int chat() throws Exception {
        return raw.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)).statusCode();
    }

    @Test
    void everyEndpointNeedsAnAdminKey() throws Exception {
        AdminApi wrong = new AdminApi(gateway, "not-the-admin-key-0123456789");
        AdminApi none = new AdminApi(gateway, null);
        for (String path : ENDPOINTS_GET) {
            assertUnauthorized(wrong.get(path), path);
            assertUnauthorized(none.get(path), path);
        }
        for (String path : ENDPOINTS_POST) {
            assertUnauthorized(wrong.post(path), path);
        }
        assertTrue(admin.credential("a").get("enabled").asBoolean(), "a refused disable changed nothing");
    }

    private static void assertUnauthorized(AdminApi.Answer answer, String path) {
        assertEquals(401, answer.status(), path);
        assertEquals("invalid_api_key", answer.json().at("/error/code").asText(), path);
    }

    @Test
    void withoutAdminKeysTheEndpointsAreNotThere() throws Exception {
        FakeUpstream upstream = FakeUpstream.openAi();
        TestGateway closed = TestGateway.builder().credential("a", upstream, "[m]").start();
        try {
            AdminApi anyone = new AdminApi(closed, ADMIN);
            for (String path : ENDPOINTS_GET) {
                assertEquals(404, anyone.get(path).status(), path);
            }
            for (String path : ENDPOINTS_POST) {
                assertEquals(404, anyone.post(path).status(), path);
            }
        } finally {
            TestGateway.closeAll(closed, upstream);
        }
    }

    @Test
    void theCredentialsListShowsEachOnesStateAndCounts() throws Exception {
        long before = admin.credential("a").get("requests").asLong() + admin.credential("b").get("requests").asLong();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, chat());
        }

        AdminApi.Answer answer = admin.get("/admin/v1/credentials");
        assertEquals(200, answer.status());
        JsonNode body = answer.json();
        assertTrue(Instant.parse(body.get("server_time").asText()).isAfter(Instant.now().minusSeconds(60)));
        assertEquals(0, body.get("waiting").asInt());
        JsonNode a = admin.credential("a");
        assertEquals("openai", a.get("kind").asText());
        assertEquals("[\"m\",\"m-*\"]", a.get("models").toString());
        assertTrue(a.get("enabled").asBoolean());
        assertEquals("ready", a.get("state").asText());
        assertTrue(a.get("cooling_until").isNull());
        assertTrue(a.get("cooling_reason").isNull());
        assertEquals(0, a.get("in_flight").asInt());
        assertEquals(8, a.get("max_concurrent").asInt());
        assertEquals(0, a.get("queued").asInt());
        long after = a.get("requests").asLong() + admin.credential("b").get("requests").asLong();
        assertEquals(before + 4, after);
        assertFalse(answer.text().contains(upstreamA.apiKey()), "no key in the answer");
        assertFalse(answer.text().contains(upstreamB.apiKey()), "no key in the answer");
    }

    @Test
    void aDisabledCredentialGetsNoRequestsUntilEnabled() throws Exception {
        AdminApi.Answer disabled = admin.post("/admin/v1/credentials/b/disable");
        assertEquals(200, disabled.status());
        assertEquals("b", disabled.json().get("name").asText());
        assertEquals("disabled", disabled.json().get("state").asText());
        assertFalse(disabled.json().get("enabled").asBoolean());
        int bBefore = upstreamB.requestCount();
        int aBefore = upstreamA.requestCount();

        for (int i = 0; i < 6; i++) {
            assertEquals(200, chat());
        }
        assertEquals(bBefore, upstreamB.requestCount(), "b is out of rotation");
        assertEquals(aBefore + 6, upstreamA.requestCount());

        AdminApi.Answer enabled = admin.post("/admin/v1/credentials/b/enable");
        assertEquals(200, enabled.status());
        assertEquals("ready", enabled.json().get("state").asText());
        for (int i = 0; i < 6; i++) {
            assertEquals(200, chat());
        }
        assertTrue(upstreamB.requestCount() > bBefore, "b serves again");
    }

    @Test
    void resetEndsACooldownSoTheCredentialServesAgainAtOnce() throws Exception {
        admin.post("/admin/v1/credentials/b/disable");
        upstreamA.enqueue(Reply.rateLimited(30));
        assertEquals(429, chat(), "a was the only one, and it was rate limited");
        JsonNode cooling = admin.credential("a");
        assertEquals("cooling", cooling.get("state").asText());
        assertEquals("rate_limited", cooling.at("/cooling_reason/cause").asText());
        assertEquals(429, cooling.at("/cooling_reason/status").asInt());
        assertEquals("Retry-After 30s", cooling.at("/cooling_reason/hint").asText());
        assertTrue(Instant.parse(cooling.get("cooling_until").asText()).isAfter(Instant.now().plusSeconds(20)));
        assertEquals(429, cooling.at("/last_error/status").asInt());
        assertTrue(cooling.get("failures").asLong() >= 1);
        assertFalse(cooling.toString().contains(upstreamA.apiKey()));
        assertEquals(429, chat(), "still cooling: nothing to serve");

        AdminApi.Answer reset = admin.post("/admin/v1/credentials/a/reset");
        assertEquals(200, reset.status());
        assertEquals("ready", reset.json().get("state").asText());
        assertTrue(reset.json().get("cooling_until").isNull());
        int aBefore = upstreamA.requestCount();
        assertEquals(200, chat(), "served at once after the reset");
        assertEquals(aBefore + 1, upstreamA.requestCount());
    }

    @Test
    void aQuarantineShowsAndResetEndsIt() throws Exception {
        admin.post("/admin/v1/credentials/b/disable");
        upstreamA.enqueue(Reply.openAiError(401, "invalid_request_error", "Incorrect API key provided: "
                + upstreamA.apiKey()));
        chat();
        JsonNode quarantined = admin.credential("a");
        assertEquals("quarantined", quarantined.get("state").asText());
        assertEquals("quarantined", quarantined.at("/cooling_reason/cause").asText());
        assertEquals(401, quarantined.at("/last_error/status").asInt());
        String message = quarantined.at("/last_error/message").asText();
        assertTrue(message.contains("401"), message);
        assertFalse(message.contains(upstreamA.apiKey().substring(8)), "the key is masked: " + message);

        assertEquals("ready", admin.post("/admin/v1/credentials/a/reset").json().get("state").asText());
        assertEquals(200, chat());
    }

    @Test
    void unknownNamesAre404() throws Exception {
        for (String action : List.of("disable", "enable", "reset")) {
            AdminApi.Answer answer = admin.post("/admin/v1/credentials/nobody/" + action);
            assertEquals(404, answer.status(), action);
            assertEquals("credential_not_found", answer.json().at("/error/code").asText(), action);
        }
    }

    @Test
    void theConfigShowsTheSettingsInEffectWithSecretsMaskedAndTheStart() throws Exception {
        AdminApi.Answer answer = admin.get("/admin/v1/config");
        assertEquals(200, answer.status());
        JsonNode config = answer.json();
        JsonNode settings = config.get("settings");
        assertEquals("60000", settings.get("caravan.cooldown.transient-ms").asText(), "the test's override");
        assertEquals("1800000", settings.get("caravan.timeout.request-ms").asText(), "the jar's default");
        assertEquals("****", settings.get("caravan.admin-keys").asText());
        assertEquals("****", settings.get("caravan.client-keys").asText());
        assertEquals("****", settings.get("caravan.store.password").asText());
        assertFalse(answer.text().contains(ADMIN), "no admin key");
        assertFalse(answer.text().contains(TestGateway.CLIENT_KEY), "no client key");
        assertFalse(answer.text().contains(STORE_PASSWORD), "no password");
        assertEquals(gateway.credentialsFile().toAbsolutePath().toString(), config.at("/files/credentials").asText());
        assertEquals(gateway.clientsFile().toAbsolutePath().toString(), config.at("/files/clients").asText());
        JsonNode last = config.get("last_reload");
        if (last.get("trigger").asText().equals("startup")) {
            assertEquals("applied", last.get("outcome").asText());
            assertEquals("[\"a\",\"b\"]", last.at("/credentials/added").toString());
            assertTrue(last.get("error").isNull());
        }
        Instant.parse(last.get("at").asText());
    }

    @Test
    void aReloadOfUnchangedFilesSaysSo() throws Exception {
        AdminApi.Answer answer = admin.post("/admin/v1/reload");
        assertEquals(200, answer.status());
        JsonNode reload = answer.json();
        assertEquals("admin", reload.get("trigger").asText());
        assertEquals("unchanged", reload.get("outcome").asText());
        assertEquals("[]", reload.at("/credentials/added").toString());
        assertEquals("unchanged", admin.get("/admin/v1/config").json().at("/last_reload/outcome").asText());
    }
    @Test
    void aStreamThatBreaksOffAfterItStartedIsTheCredentialsLastError() throws Exception {
        admin.post("/admin/v1/credentials/b/disable");
        upstreamA.enqueue(Reply.dropAfter(2));
        long failuresBefore = admin.credential("a").get("failures").asLong();

        HttpResponse<String> broken = raw.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));

        assertEquals(200, broken.statusCode(), "the stream had started when it broke");
        // The lease goes back as the relay ends, which may be a moment after the caller read the in-band error.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode a = admin.credential("a");
        while (a.get("failures").asLong() == failuresBefore && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
            a = admin.credential("a");
        }
        assertEquals(failuresBefore + 1, a.get("failures").asLong());
        assertEquals(0, a.at("/last_error/status").asInt(), "no status: the upstream broke off mid-stream");
        assertTrue(a.at("/last_error/message").asText().contains("broke off"), a.toString());
        admin.post("/admin/v1/credentials/a/reset");
    }
}
