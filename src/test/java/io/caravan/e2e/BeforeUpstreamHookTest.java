package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The before-upstream hook, which runs before a credential is leased: what it sees (the parsed request, the caller's
 * headers, the gateway's description of the request, never a caller's key) and what it may change (the body in place
 * or replaced), through the booted gateway with a hook route written for the test and fake upstreams.
 */
class BeforeUpstreamHookTest {

    private static final String GEMINI_MODEL = "gemini-2.5-flash";

    private final FakeUpstream openAi = FakeUpstream.openAi();
    private final FakeUpstream anthropic = FakeUpstream.anthropic();
    private final FakeUpstream google = FakeUpstream.gemini();
    private TestGateway gateway;
    private RawClient client;
    private Path routes;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, openAi, anthropic, google);
        if (routes != null) {
            Files.deleteIfExists(routes.resolve("hook.camel.yaml"));
            Files.deleteIfExists(routes);
        }
    }

    private void start(String hookSteps) throws Exception {
        routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("hook.camel.yaml"), """
                - route:
                    id: test-before-upstream
                    from:
                      uri: direct:caravan-before-upstream
                      steps:
                """ + hookSteps.indent(8));
        gateway = TestGateway.builder().credential("oa", openAi, "[o]").credential("an", anthropic, "[a]")
                .rawCredential("  - name: gem\n    kind: gemini\n    base-url: " + google.baseUrl() + "\n    api-key: "
                        + google.apiKey() + "\n    models: [" + GEMINI_MODEL + "]\n")
                .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start();
        client = new RawClient(gateway);
    }

    private HttpRequest.Builder gemini(String query) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/" + GEMINI_MODEL + ":generateContent" + query))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"));
    }

    @Test
    void theHookSeesTheRequestTheCallersHeadersAndWhoSentItButNeverTheCallersKey() throws Exception {
        start("""
                - to: seda:seen?waitForTaskToComplete=Never
                """);
        List<HttpResponse<String>> answers = List.of(
                client.send(client.request(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false))
                        .header("x-team", "blue").header("cookie", "session=secret-cookie")
                        .header("CaravanCredential", "forged-by-the-caller").header("caravanclient", "forged-by-the-caller")),
                client.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + RawClient.MESSAGES))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .header("anthropic-version", "2023-06-01").header("x-api-key", TestGateway.CLIENT_KEY)
                        .header("x-team", "blue")
                        .POST(HttpRequest.BodyPublishers.ofString(RawClient.messages("a", "hi", true)))),
                client.send(gemini("").header("x-goog-api-key", TestGateway.CLIENT_KEY).header("x-team", "blue")),
                client.send(gemini("?key=" + TestGateway.CLIENT_KEY + "&alt=json").header("x-team", "blue")));
        ConsumerTemplate seen = gateway.camelContext().createConsumerTemplate();
        try {
            for (HttpResponse<String> answer : answers) {
                assertEquals(200, answer.statusCode(), answer.body());
                Exchange hooked = seen.receive("seda:seen", 10_000);
                assertNotNull(hooked, "the hook ran for every request");
                Map<String, Object> headers = hooked.getIn().getHeaders();
                assertFalse(String.valueOf(headers).contains(TestGateway.CLIENT_KEY), "no caller key: " + headers);
                assertFalse(String.valueOf(headers).contains("secret-cookie"), headers.toString());
                assertFalse(String.valueOf(hooked.getAllProperties()).contains(TestGateway.CLIENT_KEY),
                        hooked.getAllProperties().toString());
                assertEquals("blue", headers.get("x-team"), "the caller's own headers: " + headers);
                // The Caravan* headers are the gateway's alone: a caller's own never reach the hook.
                assertFalse(String.valueOf(headers).contains("forged-by-the-caller"), headers.toString());
                String requestId = answers.stream().map(a -> a.headers().firstValue("x-request-id").orElseThrow())
                        .filter(id -> id.equals(headers.get("CaravanRequestId"))).findFirst().orElse(null);
                assertNotNull(requestId, "CaravanRequestId is the answer's x-request-id: " + headers);
                assertNotNull(headers.get("CaravanClient"), "the client key's name: " + headers);
                Map<?, ?> body = assertInstanceOf(Map.class, hooked.getIn().getBody(), "the parsed request");
                assertEquals(headers.get("CaravanModel"), body.get("model"), body.toString());
                assertTrue(body.containsKey("messages") || body.containsKey("contents"), body.toString());
            }
        } finally {
            seen.close();
        }
        assertEquals(1, openAi.requestCount());
        assertEquals(1, anthropic.requestCount());
        assertEquals(2, google.requestCount());
    }

    @Test
    void aChangeTheHookMakesToTheMapInPlaceIsWhatGoesUpstream() throws Exception {
        start("""
                - setProperty:
                    name: ignored
                    simple: "${body.put('user', 'team-blue')}"
                """);
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)).statusCode());
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("a", "hi", true)).statusCode());
        assertEquals("team-blue", openAi.lastRequest().json().path("user").asText(), openAi.lastRequest().body());
        // Translated for the Anthropic credential from the changed request: OpenAI's user is Anthropic's user_id.
        assertEquals("team-blue", anthropic.lastRequest().json().path("metadata").path("user_id").asText(),
                anthropic.lastRequest().body());
    }

    @Test
    void aBodyTheHookBrokeIsTheGatewaysErrorAndNothingGoesUpstream() throws Exception {
        start("""
                - choice:
                    when:
                      - simple: "${header.x-break} == 'json'"
                        steps:
                          - setBody:
                              constant: "not json at all"
                      - simple: "${header.x-break} == 'stream'"
                        steps:
                          - setProperty:
                              name: ignored
                              simple: "${body.put('stream', true)}"
                      - simple: "${header.x-break} == 'messages'"
                        steps:
                          - setProperty:
                              name: ignored
                              simple: "${body.remove('messages')}"
                """);
        try (LogCapture logs = LogCapture.capture()) {
            for (String broken : List.of("json", "stream", "messages")) {
                HttpResponse<String> r = client.send(client.request(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false))
                        .header("x-break", broken));
                assertEquals(500, r.statusCode(), broken + ": " + r.body());
                assertFalse(r.body().contains("hook"), "the caller is not told about the gateway's routes: " + r.body());
            }
            String logged = String.join("\n", logs.atLeast(ch.qos.logback.classic.Level.ERROR));
            assertTrue(logged.contains("is not valid JSON"), logged);
            assertTrue(logged.contains("'stream' must be true or false"), logged);
            assertTrue(logged.contains("must have 'messages'"), logged);
        }
        assertEquals(0, openAi.requestCount(), "nothing went upstream");
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)).statusCode());
    }
}
