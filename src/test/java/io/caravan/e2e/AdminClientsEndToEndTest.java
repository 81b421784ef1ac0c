package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.caravan.clients.ClientKeys;
import io.caravan.testing.FakeUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client keys made, changed and revoked at run time through the admin API, kept hashed in the database so that they
 * outlive a restart; the admin API's own authentication and its answers to bad input; the usage query's parameters.
 */
class AdminClientsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = UsageMeteringEndToEndTest.ADMIN_KEY;
    private static final String FILE_CLIENT = """
              - name: from-the-file
                key: key-from-the-file-0123456789
            """;

    @TempDir
    static Path state;
    private static FakeUpstream upstream;
    private static TestGateway gateway;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.openAi();
        gateway = gatewayOn(state.resolve("caravan.db"));
        raw = new RawClient(gateway);
    }

    private static TestGateway gatewayOn(Path database) throws Exception {
        return TestGateway.builder().credential("openai", upstream, "[gpt-4o, gpt-4o-mini]").clients(FILE_CLIENT)
                .store("jdbc:sqlite:" + database).set("caravan.admin-keys", ADMIN)
                .set("caravan.store.flush-interval-ms", "50").start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, upstream);
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return admin(gateway, method, path, body, ADMIN);
    }

    private static HttpResponse<String> admin(TestGateway target, String method, String path, String body, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return raw.send(request);
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").build();
    }

    @Test
    void aKeyMadeAtRunTimeWorksAtOnceIsShownOnceChangesAndIsRevoked() throws Exception {
        HttpResponse<String> created = admin("POST", "/admin/v1/clients",
                "{\"name\":\"made-at-run-time\",\"models\":[\"gpt-4o\"],\"limits\":{\"requests-per-minute\":50}}");
        assertEquals(201, created.statusCode(), created.body());
        String key = JSON.readTree(created.body()).get("key").asText();
        assertTrue(key.length() >= 32, key);

        OpenAIClient client = gateway.sdkClient(key);
        assertEquals(200, client.chat().completions().withRawResponse().create(chat("gpt-4o")).statusCode());
        assertThrows(PermissionDeniedException.class, () -> client.chat().completions().create(chat("gpt-4o-mini")));

        HttpResponse<String> listed = admin("GET", "/admin/v1/clients", null);
        assertEquals(200, listed.statusCode());
        assertFalse(listed.body().contains(key), "a key is shown once, at creation");
        JsonNode made = find(JSON.readTree(listed.body()).get("data"), "made-at-run-time");
        assertEquals(50, made.at("/limits/requests-per-minute").asInt());
        assertEquals("admin", made.get("origin").asText());
        assertEquals("file", find(JSON.readTree(listed.body()).get("data"), "from-the-file").get("origin").asText());

        HttpResponse<String> patched = admin("PATCH", "/admin/v1/clients/made-at-run-time",
                "{\"models\":[\"gpt-4o-mini\"]}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals(200, client.chat().completions().withRawResponse().create(chat("gpt-4o-mini")).statusCode());
        assertThrows(PermissionDeniedException.class, () -> client.chat().completions().create(chat("gpt-4o")));

        assertEquals(204, admin("DELETE", "/admin/v1/clients/made-at-run-time", null).statusCode());
        assertThrows(UnauthorizedException.class, () -> client.chat().completions().create(chat("gpt-4o-mini")));
        assertEquals(404, admin("DELETE", "/admin/v1/clients/made-at-run-time", null).statusCode());
    }

    @Test
    void aKeyMadeAtRunTimeOutlivesARestartAndIsKeptOnlyAsItsHash() throws Exception {
        Path database = state.resolve("restart.db");
        String key;
        try (TestGateway first = gatewayOn(database)) {
            HttpResponse<String> created = admin(first, "POST", "/admin/v1/clients",
                    "{\"name\":\"survivor\",\"expires\":\"2099-01-01T00:00:00Z\"}", ADMIN);
            assertEquals(201, created.statusCode(), created.body());
            key = JSON.readTree(created.body()).get("key").asText();
        }
        String stored = databaseText(database);
        assertTrue(stored.contains(ClientKeys.sha256Hex(key)), "the key's hash is what the database keeps");
        assertFalse(stored.contains(key), "the plain key is not in the database");
        try (TestGateway second = gatewayOn(database)) {
            OpenAIClient client = second.sdkClient(key);
            assertEquals(200, client.chat().completions().withRawResponse().create(chat("gpt-4o")).statusCode());
        }
    }

    @Test
    void clientsOfTheFileAreChangedInTheFileNotThroughTheApi() throws Exception {
        HttpResponse<String> patched = admin("PATCH", "/admin/v1/clients/from-the-file", "{\"enabled\":false}");
        assertEquals(409, patched.statusCode(), patched.body());
        assertTrue(patched.body().contains("clients file"), patched.body());
        assertEquals(409, admin("DELETE", "/admin/v1/clients/from-the-file", null).statusCode());
        assertEquals(409, admin("POST", "/admin/v1/clients", "{\"name\":\"from-the-file\"}").statusCode(),
                "a name is unique across the file and the API");
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() throws Exception {
        HttpResponse<String> noName = admin("POST", "/admin/v1/clients", "{\"models\":[\"x\"]}");
        assertEquals(400, noName.statusCode());
        assertTrue(noName.body().contains("name"), noName.body());
        HttpResponse<String> badLimit = admin("POST", "/admin/v1/clients",
                "{\"name\":\"bad-limit\",\"limits\":{\"requests-per-minute\":-1}}");
        assertEquals(400, badLimit.statusCode());
        assertTrue(badLimit.body().contains("requests-per-minute"), badLimit.body());
        assertEquals(400, admin("POST", "/admin/v1/clients", "not json").statusCode());
        assertEquals(404, admin("PATCH", "/admin/v1/clients/nobody", "{\"enabled\":false}").statusCode());

        HttpResponse<String> badFrom = admin("GET", "/admin/v1/usage?from=yesterday", null);
        assertEquals(400, badFrom.statusCode());
        assertTrue(badFrom.body().contains("from"), badFrom.body());
        HttpResponse<String> badGroup = admin("GET", "/admin/v1/usage?group_by=client,colour", null);
        assertEquals(400, badGroup.statusCode());
        assertTrue(badGroup.body().contains("group_by"), badGroup.body());
    }

    @Test
    void theAdminApiWantsAnAdminKeyNotAClientKey() throws Exception {
        assertEquals(401, admin(gateway, "GET", "/admin/v1/clients", null, "key-from-the-file-0123456789").statusCode());
        assertEquals(401, admin(gateway, "GET", "/admin/v1/usage", null, "wrong").statusCode());
    }

    @Test
    void withoutAdminKeysTheAdminApiIsNotThere() throws Exception {
        try (TestGateway closed = TestGateway.builder().credential("openai", upstream, "[gpt-4o]").start()) {
            assertEquals(404, admin(closed, "GET", "/admin/v1/clients", null, ADMIN).statusCode());
            assertEquals(404, admin(closed, "POST", "/admin/v1/clients", "{\"name\":\"x\"}", ADMIN).statusCode());
        }
    }

    /** Every byte the SQLite database holds, its write-ahead log included, as text. */
    private static String databaseText(Path database) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (String suffix : new String[] {"", "-wal"}) {
            Path file = Path.of(database + suffix);
            if (Files.exists(file)) {
                text.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    private static JsonNode find(JsonNode clients, String name) {
        for (JsonNode client : clients) {
            if (name.equals(client.get("name").asText())) {
                return client;
            }
        }
        throw new AssertionError(name + " not in " + clients);
    }
}
