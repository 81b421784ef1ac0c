package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the upstream besides the request body, through the booted gateway and fake upstreams that record
 * every header: callers cannot set upstream headers, a hook can set only those the gateway does not own, and the
 * allow-listed caller headers pass only between callers and credentials of one dialect.
 */
class UpstreamHeadersTest {

    /** Caller headers that would take over the pool's identity, billing or routing if they passed. */
    private static final Map<String, String> HOSTILE_CALLER_HEADERS = Map.of(
            "upstream-Host", "evil.example",
            "upstream-Authorization", "Bearer sk-stolen-elsewhere",
            "upstream-x-api-key", "sk-stolen-elsewhere",
            "upstream-OpenAI-Organization", "org-someone-else",
            "UPSTREAM-X-Forged", "forged",
            "OpenAI-Organization", "org-someone-else",
            "OpenAI-Project", "proj-someone-else");

    private final FakeUpstream openAi = FakeUpstream.openAi();
    private final FakeUpstream anthropic = FakeUpstream.anthropic();
    private TestGateway gateway;
    private Path routes;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        openAi.close();
        anthropic.close();
        if (routes != null) {
            try (var files = Files.list(routes)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(routes);
        }
    }

    /** The gateway with one credential per kind: model {@code o} on OpenAI, {@code a} on Anthropic. */
    private RawClient start(String hookYaml) throws Exception {
        TestGateway.Builder b = TestGateway.builder().credential("oa", openAi, "[o]").credential("an", anthropic, "[a]");
        if (hookYaml != null) {
            routes = Files.createTempDirectory("caravan-routes");
            Files.writeString(routes.resolve("hooks.camel.yaml"), hookYaml);
            b.set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        }
        gateway = b.start();
        return new RawClient(gateway);
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        return request;
    }

    @Test
    void callerHeadersNamedUpstreamStarNeverReachTheUpstreamOfEitherKind() throws Exception {
        RawClient client = start(null);
        for (String[] call : List.of(
                new String[] {RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)},
                new String[] {RawClient.MESSAGES, RawClient.messages("a", "hi", false)},
                new String[] {RawClient.OPENAI_CHAT, RawClient.chat("a", "hi", false)},
                new String[] {RawClient.MESSAGES, RawClient.messages("o", "hi", true)})) {
            HttpResponse<String> r = client.send(withHeaders(client.request(call[0], call[1]), HOSTILE_CALLER_HEADERS));
            assertEquals(200, r.statusCode(), r.body());
        }
        assertEquals(2, openAi.requestCount());
        assertEquals(2, anthropic.requestCount());
        for (FakeUpstream upstream : List.of(openAi, anthropic)) {
            for (RecordedRequest seen : upstream.requests()) {
                String all = seen.headers().toString().toLowerCase(Locale.ROOT);
                assertEquals("127.0.0.1:" + upstream.port(), seen.header("host"));
                assertFalse(all.contains("stolen"), all);
                assertFalse(all.contains("someone-else"), all);
                assertFalse(all.contains("forged"), all);
                assertNull(seen.header("openai-organization"), all);
                assertNull(seen.header("openai-project"), all);
                assertFalse(all.contains("upstream-"), all);
            }
        }
        for (RecordedRequest seen : openAi.requests()) {
            assertEquals("Bearer " + openAi.apiKey(), seen.header("authorization"));
            assertNull(seen.header("x-api-key"));
        }
        for (RecordedRequest seen : anthropic.requests()) {
            assertEquals(anthropic.apiKey(), seen.header("x-api-key"));
            assertNull(seen.header("authorization"));
        }
    }

    @Test
    void aHookSetsOnlyTheUpstreamHeadersTheGatewayDoesNotOwn() throws Exception {
        StringBuilder yaml = new StringBuilder("""
                - route:
                    id: test-before-upstream
                    from:
                      uri: direct:caravan-before-upstream
                      steps:
                """);
        Map<String, String> set = new java.util.LinkedHashMap<>();
        set.put("X-Tenant", "acme");
        set.put("OpenAI-Organization", "org-chosen-by-the-operator");
        set.put("Host", "evil.example");
        set.put("Content-Length", "1");
        set.put("Transfer-Encoding", "chunked");
        set.put("Content-Encoding", "gzip");
        set.put("Authorization", "Bearer sk-hook-forged");
        set.put("x-api-key", "sk-hook-forged");
        set.put("X-Goog-Api-Key", "sk-hook-forged");
        set.put("Connection", "close");
        set.put("Keep-Alive", "timeout=1");
        set.put("Proxy-Authorization", "Basic forged");
        set.put("TE", "trailers");
        set.put("Trailer", "X-Forged");
        set.put("Upgrade", "h2c");
        set.put("Accept", "text/html");
        set.put("Content-Type", "text/plain");
        set.forEach((name, value) -> yaml.append("""
                        - setHeader:
                            name: upstream-%s
                            constant: "%s"
                """.formatted(name, value)));
        RawClient client = start(yaml.toString());

        HttpResponse<String> toOpenAi = client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false));
        HttpResponse<String> toAnthropic = client.post(RawClient.MESSAGES, RawClient.messages("a", "hi", false));
        RawClient.Capture streamed = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", true));

        assertEquals(200, toOpenAi.statusCode(), toOpenAi.body());
        assertEquals(200, toAnthropic.statusCode(), toAnthropic.body());
        assertEquals(200, streamed.status());
        for (FakeUpstream upstream : List.of(openAi, anthropic)) {
            for (RecordedRequest seen : upstream.requests()) {
                String all = seen.headers().toString();
                assertEquals("acme", seen.header("x-tenant"), all);
                assertEquals("org-chosen-by-the-operator", seen.header("openai-organization"), all);
                assertEquals("127.0.0.1:" + upstream.port(), seen.header("host"), all);
                assertEquals(Integer.toString(seen.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                        seen.header("content-length"), all);
                assertFalse(all.contains("forged"), all);
                for (String absent : List.of("transfer-encoding", "content-encoding", "x-goog-api-key", "keep-alive",
                        "proxy-authorization", "te", "trailer", "upgrade")) {
                    assertNull(seen.header(absent), absent + " in " + all);
                }
                assertFalse("close".equalsIgnoreCase(seen.header("connection")), all);
                assertEquals("application/json", seen.header("content-type"), all);
                assertTrue(seen.header("accept").equals(seen.streamRequested() ? "text/event-stream" : "application/json"), all);
            }
        }
        assertEquals("Bearer " + openAi.apiKey(), openAi.lastRequest().header("authorization"));
        assertNull(openAi.lastRequest().header("x-api-key"));
        assertEquals(anthropic.apiKey(), anthropic.lastRequest().header("x-api-key"));
        assertNull(anthropic.lastRequest().header("authorization"));
    }

    @Test
    void theAllowListedCallerHeadersPassOnlyBetweenCallerAndCredentialOfOneDialect() throws Exception {
        RawClient client = start(null);
        Map<String, String> sent = Map.of("anthropic-beta", "prompt-caching-2024-07-31", "openai-beta", "assistants=v2");

        // Same dialect: each side's own headers pass, the other side's do not.
        assertEquals(200, client.send(withHeaders(client.request(RawClient.MESSAGES, RawClient.messages("a", "x", false))
                .setHeader("anthropic-version", "2024-01-01"), sent)).statusCode());
        RecordedRequest anthropicSaw = anthropic.lastRequest();
        assertEquals("2024-01-01", anthropicSaw.header("anthropic-version"));
        assertEquals("prompt-caching-2024-07-31", anthropicSaw.header("anthropic-beta"));
        assertNull(anthropicSaw.header("openai-beta"));

        assertEquals(200, client.send(withHeaders(client.request(RawClient.OPENAI_CHAT, RawClient.chat("o", "x", false)), sent))
                .statusCode());
        RecordedRequest openAiSaw = openAi.lastRequest();
        assertEquals("assistants=v2", openAiSaw.header("openai-beta"));
        assertNull(openAiSaw.header("anthropic-beta"));
        assertNull(openAiSaw.header("anthropic-version"));

        // Translated: nothing of the caller's passes; Anthropic gets the gateway's default version.
        assertEquals(200, client.send(withHeaders(client.request(RawClient.OPENAI_CHAT, RawClient.chat("a", "x", false)), sent))
                .statusCode());
        RecordedRequest translatedToAnthropic = anthropic.lastRequest();
        assertEquals("2023-06-01", translatedToAnthropic.header("anthropic-version"));
        assertNull(translatedToAnthropic.header("anthropic-beta"));
        assertNull(translatedToAnthropic.header("openai-beta"));

        assertEquals(200, client.send(withHeaders(client.request(RawClient.MESSAGES, RawClient.messages("o", "x", false)), sent))
                .statusCode());
        RecordedRequest translatedToOpenAi = openAi.lastRequest();
        assertNull(translatedToOpenAi.header("openai-beta"));
        assertNull(translatedToOpenAi.header("anthropic-beta"));
        assertNull(translatedToOpenAi.header("anthropic-version"));
    }
}
