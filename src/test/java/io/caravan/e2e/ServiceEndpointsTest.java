package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The endpoints the gateway answers itself or forwards without choosing a dialect path: liveness, the model list in
 * both shapes, token counting, aliases, and the built-in demo model.
 */
class ServiceEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private static FakeUpstream openAi;
    private static FakeUpstream anthropic;
    private static TestGateway gateway;
    private static RawClient client;

    @BeforeAll
    static void start() throws Exception {
        openAi = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai", openAi, "[gpt-a, \"gpt-wild*\", {name: alias-x, upstream: real-x}]")
                .credential("anthropic", anthropic, "[claude-c]")
                .start();
        client = new RawClient(gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openAi.close();
        anthropic.close();
    }

    // ---- /healthz ------------------------------------------------------------------------------------------

    @Test
    void healthzAnswersOkWithoutAKey() throws Exception {
        HttpResponse<String> r = client.get("/healthz");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode health = JSON.readTree(r.body());
        assertEquals("ok", health.get("status").asText());
        assertEquals("ok", health.at("/usage_store/status").asText(), "the usage database takes the records");
        assertTrue(health.at("/usage_store/pending").isNumber());
        assertTrue(health.at("/usage_store/database").isMissingNode(), "no database name for anyone: " + health);
    }

    @Test
    void healthzIgnoresAWrongKey() throws Exception {
        HttpResponse<String> r = client.get("/healthz", "authorization", "Bearer not-the-key");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ok", JSON.readTree(r.body()).path("status").asText());
    }

    // ---- /v1/models ----------------------------------------------------------------------------------------

    @Test
    void modelsWithoutAKeyIs401InOpenAiShape() throws Exception {
        HttpResponse<String> r = client.get("/v1/models");
        assertEquals(401, r.statusCode(), r.body());
        JsonNode root = JSON.readTree(r.body());
        assertEquals(Set.of("error"), fieldNames(root), r.body());
        assertEquals(Set.of("message", "type", "param", "code"), fieldNames(root.path("error")), r.body());
        assertEquals("invalid_api_key", root.path("error").path("code").asText(), r.body());
        assertFalse(r.body().contains("data"), "no model list leaks: " + r.body());
    }

    @Test
    void modelsRefusesAMissingKeyWithTheSameErrorAsTheChatEndpoint() throws Exception {
        JsonNode models = JSON.readTree(client.get("/v1/models").body()).path("error");
        HttpResponse<String> chat = client.send(client.request(RawClient.OPENAI_CHAT, RawClient.chat("gpt-a", "hi", false))
                .setHeader("authorization", "Bearer sk-not-a-client-key"));
        assertEquals(401, chat.statusCode(), chat.body());
        JsonNode chatError = JSON.readTree(chat.body()).path("error");
        assertEquals(chatError.path("message").asText(), models.path("message").asText());
        assertEquals(chatError.path("code").asText(), models.path("code").asText());
    }

    @Test
    void modelsWithAWrongKeyIs401InAnthropicShapeForAnthropicCallers() throws Exception {
        HttpResponse<String> r = client.get("/v1/models", "x-api-key", "sk-wrong-models-key", "anthropic-version", "2023-06-01");
        assertEquals(401, r.statusCode(), r.body());
        JsonNode root = JSON.readTree(r.body());
        assertEquals(Set.of("type", "error", "request_id"), fieldNames(root), r.body());
        assertEquals("error", root.path("type").asText());
        assertEquals("authentication_error", root.path("error").path("type").asText(), r.body());
        assertFalse(r.body().contains("sk-wrong-models-key"), "the presented key is not echoed");
    }

    @Test
    void modelsListsExactAndAliasNamesInOpenAiShape() throws Exception {
        HttpResponse<String> r = client.get("/v1/models", "authorization", "Bearer " + TestGateway.CLIENT_KEY);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode root = JSON.readTree(r.body());
        assertEquals("list", root.path("object").asText(), r.body());
        assertTrue(root.path("data").isArray(), r.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode m : root.path("data")) {
            assertEquals(Set.of("id", "object", "created", "owned_by"), fieldNames(m), m.toString());
            assertEquals("model", m.path("object").asText(), m.toString());
            assertTrue(m.path("id").isTextual(), m.toString());
            assertTrue(m.path("created").isIntegralNumber(), "created is a Unix time: " + m);
            assertTrue(m.path("owned_by").isTextual() && !m.path("owned_by").asText().isBlank(), m.toString());
            ids.add(m.path("id").asText());
        }
        assertEquals(ids.size(), Set.copyOf(ids).size(), "no duplicates: " + ids);
        assertEquals(Set.of("gpt-a", "alias-x", "claude-c"), Set.copyOf(ids), r.body());
        assertFalse(ids.stream().anyMatch(id -> id.contains("*")), "wildcards cannot be listed: " + ids);
        assertEquals(0, openAi.requests().stream().filter(q -> q.path().endsWith("/models")).count(),
                "the list is the gateway's own, not the upstream's");
    }

    @Test
    void modelsListsTheSameNamesInAnthropicShapeWhenAskedWithAnthropicVersion() throws Exception {
        HttpResponse<String> r = client.get("/v1/models", "x-api-key", TestGateway.CLIENT_KEY,
                "anthropic-version", "2023-06-01");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode root = JSON.readTree(r.body());
        assertEquals(Set.of("data", "has_more", "first_id", "last_id"), fieldNames(root), r.body());
        assertTrue(root.path("has_more").isBoolean() && !root.path("has_more").asBoolean(), r.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode m : root.path("data")) {
            assertEquals(Set.of("type", "id", "display_name", "created_at"), fieldNames(m), m.toString());
            assertEquals("model", m.path("type").asText(), m.toString());
            assertTrue(m.path("display_name").isTextual() && !m.path("display_name").asText().isBlank(), m.toString());
            assertNotNull(OffsetDateTime.parse(m.path("created_at").asText()), "RFC 3339 created_at: " + m);
            ids.add(m.path("id").asText());
        }
        assertEquals(Set.of("gpt-a", "alias-x", "claude-c"), Set.copyOf(ids), r.body());
        assertEquals(3, ids.size(), r.body());
        assertEquals(ids.get(0), root.path("first_id").asText(), r.body());
        assertEquals(ids.get(ids.size() - 1), root.path("last_id").asText(), r.body());
    }

    // ---- count_tokens --------------------------------------------------------------------------------------

    private static String countBody(String prompt) {
        return "{\"model\":\"claude-c\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    private static void assertForwardedWithTheUpstreamKey(RecordedRequest seen) {
        assertEquals("POST", seen.method());
        assertEquals(COUNT_TOKENS, seen.path());
        assertEquals(anthropic.apiKey(), seen.header("x-api-key"), "the credential's own key upstream");
        seen.headers().forEach((name, values) -> values.forEach(v ->
                assertFalse(v.contains(TestGateway.CLIENT_KEY), "the client key went upstream in " + name)));
    }

    @Test
    void countTokensPassesTheUpstreamAnswerThrough() throws Exception {
        anthropic.enqueue(Reply.countTokens(42));
        int before = anthropic.requestCount();
        HttpResponse<String> r = client.post(COUNT_TOKENS, countBody("how many tokens is this"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree("{\"input_tokens\":42}"), JSON.readTree(r.body()));
        assertEquals(before + 1, anthropic.requestCount());
        RecordedRequest seen = anthropic.lastRequest();
        assertForwardedWithTheUpstreamKey(seen);
        assertEquals(JSON.readTree(countBody("how many tokens is this")), seen.json(), "the body goes up unchanged");
    }

    @Test
    void countTokensRelaysTheUpstreamEstimate() throws Exception {
        String prompt = "a somewhat longer prompt so that the estimate is clearly more than one token";
        HttpResponse<String> r = client.post(COUNT_TOKENS, countBody(prompt));
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest seen = anthropic.lastRequest();
        assertForwardedWithTheUpstreamKey(seen);
        assertEquals(FakeUpstream.estimateTokens(seen.body()), JSON.readTree(r.body()).path("input_tokens").asInt(),
                r.body());
    }

    // ---- aliases and model names upstream ------------------------------------------------------------------

    @Test
    void aliasReachesTheUpstreamUnderItsRealName() throws Exception {
        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("alias-x", "hi", false));
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest seen = openAi.lastRequest();
        assertEquals("/v1/chat/completions", seen.path());
        assertEquals("real-x", seen.model(), seen.body());
        assertEquals("hi", seen.json().path("messages").path(0).path("content").asText(), "the rest is kept");
    }

    @Test
    void streamedAliasReachesTheUpstreamUnderItsRealName() throws Exception {
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("alias-x", "hi", true));
        assertEquals(200, c.status(), c.text());
        assertEquals(1, c.count("data: [DONE]"), c.text());
        RecordedRequest seen = openAi.lastRequest();
        assertEquals("real-x", seen.model(), seen.body());
        assertTrue(seen.streamRequested());
    }

    @Test
    void exactAndWildcardNamesGoUpstreamUnchanged() throws Exception {
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("gpt-a", "hi", false)).statusCode());
        assertEquals("gpt-a", openAi.lastRequest().model());
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("gpt-wild-7", "hi", false)).statusCode());
        assertEquals("gpt-wild-7", openAi.lastRequest().model());
    }

    @Test
    void theAliasUpstreamNameIsNotItselfServed() throws Exception {
        int before = openAi.requestCount();
        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("real-x", "hi", false));
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("model_not_found", JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
        assertEquals(before, openAi.requestCount());
    }

    // ---- the built-in demo ---------------------------------------------------------------------------------

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BuiltInDemo {

        private TestGateway demo;
        private RawClient demoClient;

        @BeforeAll
        void startDemo() throws Exception {
            demo = TestGateway.builder().set("caravan.demo", "on").start();
            demoClient = new RawClient(demo);
        }

        @AfterAll
        void stopDemo() throws Exception {
            demo.close();
        }

        @Test
        void modelsListsTheDemoModelAsTheDemo() throws Exception {
            HttpResponse<String> r = demoClient.get("/v1/models", "authorization", "Bearer " + TestGateway.CLIENT_KEY);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode data = JSON.readTree(r.body()).path("data");
            assertEquals(1, data.size(), r.body());
            assertEquals("caravan-demo", data.path(0).path("id").asText(), r.body());
            assertTrue(data.path(0).path("owned_by").asText().toLowerCase().contains("demo"), r.body());
        }

        @Test
        void chatCompletion() throws Exception {
            HttpResponse<String> r = demoClient.post(RawClient.OPENAI_CHAT, RawClient.chat("caravan-demo", "hi", false));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("chat.completion", body.path("object").asText(), r.body());
            assertTrue(body.path("choices").path(0).path("message").path("content").asText().contains("demo"), r.body());
        }

        @Test
        void streamedChatCompletion() throws Exception {
            RawClient.Capture c = demoClient.stream(RawClient.OPENAI_CHAT, RawClient.chat("caravan-demo", "hi", true));
            assertEquals(200, c.status(), c.text());
            assertEquals(1, c.count("data: [DONE]"), c.text());
            String text = c.dataLines().stream().filter(d -> !d.equals("[DONE]"))
                    .map(d -> tree(d).path("choices").path(0).path("delta").path("content").asText(""))
                    .collect(Collectors.joining());
            assertTrue(text.contains("demo"), text);
        }

        @Test
        void anthropicMessage() throws Exception {
            HttpResponse<String> r = demoClient.post(RawClient.MESSAGES, RawClient.messages("caravan-demo", "hi", false));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("message", body.path("type").asText(), r.body());
            assertTrue(body.path("content").path(0).path("text").asText().contains("demo"), r.body());
        }

        @Test
        void streamedAnthropicMessage() throws Exception {
            RawClient.Capture c = demoClient.stream(RawClient.MESSAGES, RawClient.messages("caravan-demo", "hi", true));
            assertEquals(200, c.status(), c.text());
            List<String> events = c.eventNames();
            assertEquals("message_start", events.get(0), c.text());
            assertEquals("message_stop", events.get(events.size() - 1), c.text());
            String text = c.dataLines().stream().map(ServiceEndpointsTest::tree)
                    .filter(d -> "content_block_delta".equals(d.path("type").asText()))
                    .map(d -> d.path("delta").path("text").asText(""))
                    .collect(Collectors.joining());
            assertTrue(text.contains("demo"), text);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
