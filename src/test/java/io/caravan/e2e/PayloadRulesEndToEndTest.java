package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The credentials file's {@code payload-rules} through the booted gateway, as the fake upstreams receive the
 * requests: each kind of change, a rule scoped to one credential, rules written in the upstream's dialect for
 * translated requests, rules after the gateway's own rewrites (an alias, the stream's usage request), a request no
 * rule matches sent byte for byte, and a reload that changes the rules.
 */
class PayloadRulesEndToEndTest {

    private static final String ADMIN = "caravan-test-admin-key-payload-rules-0123456789";
    private static final String RULES = """
            payload-rules:
              - models: ["gpt-5*", fast]
                defaults: {reasoning_effort: high}
                overrides: {service_tier: default}
                caps: {max_completion_tokens: 1000}
                remove: [metadata.trace]
              - models: [gpt-5]
                credentials: [openai-main]
                overrides: {prompt_cache_key: main-only}
              - models: [claude-sonnet-4-5]
                defaults: {top_k: 5}
                caps: {max_tokens: 300}
              - models: [gemini-2.5-flash]
                caps: {generationConfig.maxOutputTokens: 200}
            """;

    private static FakeUpstream main;
    private static FakeUpstream spare;
    private static FakeUpstream plain;
    private static FakeUpstream claude;
    private static FakeUpstream gemini;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        main = FakeUpstream.openAi();
        spare = FakeUpstream.openAi();
        plain = FakeUpstream.openAi();
        claude = FakeUpstream.anthropic();
        gemini = FakeUpstream.gemini();
        gateway = TestGateway.builder().rawCredential(credentialsAndRules(RULES)).set("caravan.admin-keys", ADMIN).start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, main, spare, plain, claude, gemini);
    }

    /**
     * The credentials entries, then {@code rules}: the builder writes its entries after {@code credentials:}, so the
     * file's next section follows the last entry.
     */
    private static String credentialsAndRules(String rules) {
        return "  - name: openai-main\n    kind: openai\n    base-url: " + main.baseUrl() + "\n    api-key: "
                + main.apiKey() + "\n    models: [gpt-5, gpt-5-mini, {name: fast, upstream: o4-mini}]\n"
                + "  - name: openai-spare\n    kind: openai\n    base-url: " + spare.baseUrl() + "\n    api-key: "
                + spare.apiKey() + "\n    models: [gpt-5]\n"
                + "  - name: openai-plain\n    kind: openai\n    base-url: " + plain.baseUrl() + "\n    api-key: "
                + plain.apiKey() + "\n    models: [plain]\n"
                + "  - name: claude\n    kind: anthropic\n    base-url: " + claude.baseUrl() + "\n    api-key: "
                + claude.apiKey() + "\n    models: [claude-sonnet-4-5]\n"
                + "  - name: gemini\n    kind: gemini\n    base-url: " + gemini.baseUrl() + "\n    api-key: "
                + gemini.apiKey() + "\n    models: [gemini-2.5-flash]\n"
                + rules;
    }

    private static JsonNode chat(FakeUpstream upstream, String body) throws Exception {
        int before = upstream.requestCount();
        HttpResponse<String> answer = new RawClient(gateway).post(RawClient.OPENAI_CHAT, body);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(before + 1, upstream.requestCount(), "the request went to " + upstream);
        return upstream.lastRequest().json();
    }

    @Test
    void defaultsFillOverridesReplaceCapsLowerAndRemoveTakesANestedFieldOut() throws Exception {
        JsonNode sent = chat(main, """
                {"model": "gpt-5-mini", "messages": [{"role": "user", "content": "hi"}], "service_tier": "flex",
                 "max_completion_tokens": 5000, "metadata": {"trace": "t-1", "team": "core"}}""");
        assertEquals("high", sent.get("reasoning_effort").textValue());
        assertEquals("default", sent.get("service_tier").textValue());
        assertEquals(1000, sent.get("max_completion_tokens").intValue());
        assertEquals("{\"team\":\"core\"}", sent.get("metadata").toString());

        JsonNode callersOwn = chat(main, """
                {"model": "gpt-5-mini", "messages": [{"role": "user", "content": "hi"}], "reasoning_effort": "low",
                 "max_completion_tokens": 10}""");
        assertEquals("low", callersOwn.get("reasoning_effort").textValue(), "a default never replaces the caller's");
        assertEquals(10, callersOwn.get("max_completion_tokens").intValue(), "a cap never raises");
        assertFalse(callersOwn.has("metadata"));
    }

    @Test
    void rulesMatchThePublicNameAndApplyAfterTheAliasAndTheStreamsUsageRequest() throws Exception {
        RawClient.Capture stream = new RawClient(gateway).stream(RawClient.OPENAI_CHAT, """
                {"model": "fast", "stream": true, "messages": [{"role": "user", "content": "hi"}]}""");
        assertEquals(200, stream.response().statusCode());
        JsonNode sent = main.lastRequest().json();
        assertEquals("o4-mini", sent.get("model").textValue(), "the alias's upstream name, which no rule names");
        assertTrue(sent.at("/stream_options/include_usage").booleanValue(), sent.toString());
        assertEquals("high", sent.get("reasoning_effort").textValue());
        assertEquals("default", sent.get("service_tier").textValue());
    }

    @Test
    void aRuleNamingACredentialAppliesOnThatCredentialOnly() throws Exception {
        String body = "{\"model\": \"gpt-5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        RawClient client = new RawClient(gateway);
        int mainBefore = main.requestCount();
        int spareBefore = spare.requestCount();
        for (int i = 0; i < 8 && (main.requestCount() == mainBefore || spare.requestCount() == spareBefore); i++) {
            assertEquals(200, client.post(RawClient.OPENAI_CHAT, body).statusCode());
        }
        assertTrue(main.requestCount() > mainBefore && spare.requestCount() > spareBefore,
                "both credentials of gpt-5 served");
        for (RecordedRequest request : main.requests().subList(mainBefore, main.requestCount())) {
            assertEquals("main-only", request.json().path("prompt_cache_key").textValue());
            assertEquals("default", request.json().path("service_tier").textValue());
        }
        for (RecordedRequest request : spare.requests().subList(spareBefore, spare.requestCount())) {
            assertFalse(request.json().has("prompt_cache_key"), request.body());
            assertEquals("default", request.json().path("service_tier").textValue(), "the unscoped rule applies");
        }
    }

    @Test
    void aTranslatedRequestIsChangedInTheUpstreamsDialect() throws Exception {
        JsonNode toAnthropic = chat(claude, """
                {"model": "claude-sonnet-4-5", "max_tokens": 5000, "messages": [{"role": "user", "content": "hi"}]}""");
        assertEquals(300, toAnthropic.get("max_tokens").intValue());
        assertEquals(5, toAnthropic.get("top_k").intValue());

        JsonNode toGemini = chat(gemini, """
                {"model": "gemini-2.5-flash", "max_tokens": 5000, "messages": [{"role": "user", "content": "hi"}]}""");
        assertEquals(200, toGemini.at("/generationConfig/maxOutputTokens").intValue(), toGemini.toString());
        assertFalse(toGemini.has("max_tokens"));
    }

    @Test
    void aRequestNoRuleMatchesGoesUpstreamByteForByte() throws Exception {
        String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"hi\"} ],\n  \"model\":\"plain\", "
                + "\"service_tier\" : \"flex\",\"temperature\":1.50 }";
        assertEquals(200, new RawClient(gateway).post(RawClient.OPENAI_CHAT, body).statusCode());
        assertEquals(body, plain.lastRequest().body());
    }

    @Test
    void aReloadReplacesTheRules() throws Exception {
        FakeUpstream upstream = FakeUpstream.openAi();
        TestGateway reloading = null;
        try {
            reloading = TestGateway.builder().credential("only", upstream, "[gpt-5-mini]")
                    .set("caravan.admin-keys", ADMIN).start();
            String body = "{\"model\": \"gpt-5-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
            RawClient client = new RawClient(reloading);
            assertEquals(200, client.post(RawClient.OPENAI_CHAT, body).statusCode());
            assertFalse(upstream.lastRequest().json().has("service_tier"));

            Files.writeString(reloading.credentialsFile(), "credentials:\n" + ConfigReloadEndToEndTest.credential(
                    "only", upstream, "[gpt-5-mini]", upstream.apiKey())
                    + "payload-rules:\n  - models: [gpt-5-mini]\n    overrides: {service_tier: priority}\n");
            AdminApi.Answer reload = new AdminApi(reloading, ADMIN).post("/admin/v1/reload");
            assertEquals("applied", reload.json().get("outcome").asText(), reload.text());
            assertEquals(200, client.post(RawClient.OPENAI_CHAT, body).statusCode());
            assertEquals("priority", upstream.lastRequest().json().path("service_tier").textValue());

            Files.writeString(reloading.credentialsFile(), "credentials:\n" + ConfigReloadEndToEndTest.credential(
                    "only", upstream, "[gpt-5-mini]", upstream.apiKey()));
            assertEquals("applied", new AdminApi(reloading, ADMIN).post("/admin/v1/reload").json().get("outcome").asText());
            assertEquals(200, client.post(RawClient.OPENAI_CHAT, body).statusCode());
            assertEquals(body, upstream.lastRequest().body(), "no rule left: the caller's bytes again");
        } finally {
            TestGateway.closeAll(reloading, upstream);
        }
    }
}
