package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI Chat caller on Gemini credentials, through the booted gateway: an answer and a stream translated, and
 * what the translation must answer as a 400 (a prompt Gemini's filters blocked, a 200 without candidates; an image
 * Gemini cannot fetch). Neither 400 is the credential's fault: the caller gets it in its own dialect saying why, the
 * second credential is never asked and the first is not cooled. Each stand-in upstream (on 127.0.0.1) answers every
 * call with one fixed body in Gemini's exact wire and records the paths and bodies it was sent; the Gemini fake that
 * validates requests like the real API is the SDK tests' (a separate piece of this issue).
 */
class ChatCallerOnGeminiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKED = """
            {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
             "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8},
             "modelVersion": "gemini-2.5-flash", "responseId": "blocked-1"}""";
    private static final String ANSWER = """
            {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello from Gemini"}]},
               "finishReason": "STOP", "index": 0}],
             "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 3, "totalTokenCount": 8},
             "modelVersion": "gemini-2.5-flash", "responseId": "answer-1"}""";

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void aBlockedPromptIsA400ForTheCallerAndNoCredentialsFault() throws Exception {
        List<String> firstCalls = new CopyOnWriteArrayList<>();
        List<String> secondCalls = new CopyOnWriteArrayList<>();
        RawClient client = start(upstream(BLOCKED, firstCalls), upstream(ANSWER, secondCalls));

        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("gm", "Something bad", false));

        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText(), r.body());
        assertEquals("prompt_blocked", error.path("code").asText(), r.body());
        assertTrue(error.path("message").asText().contains("PROHIBITED_CONTENT"), r.body());
        assertEquals(List.of("/v1beta/models/gemini-2.5-flash:generateContent"), firstCalls);
        assertEquals(List.of(), secondCalls);
        assertFalse(gateway.pool().credential("first").coolingRemainingNanos(System.nanoTime()) > 0);
    }

    @Test
    void anImageUrlIsA400BeforeAnyUpstreamIsAsked() throws Exception {
        List<String> firstCalls = new CopyOnWriteArrayList<>();
        List<String> secondCalls = new CopyOnWriteArrayList<>();
        RawClient client = start(upstream(ANSWER, firstCalls), upstream(ANSWER, secondCalls));
        String body = """
                {"model": "gm", "messages": [{"role": "user", "content": [
                   {"type": "text", "text": "What is this?"},
                   {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}""";

        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, body);

        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("unsupported_parameter", error.path("code").asText(), r.body());
        assertTrue(error.path("message").asText().contains("data: URL"), r.body());
        assertEquals(List.of(), firstCalls);
        assertEquals(List.of(), secondCalls);
    }

    /** The same gateway answers what it can translate: the path names the upstream model, the body has neither. */
    @Test
    void anAnswerIsTranslatedForTheCaller() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        RawClient client = start(upstream(ANSWER, calls, bodies), upstream(ANSWER, new CopyOnWriteArrayList<>()));

        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("gm", "Hi", false));

        assertEquals(200, r.statusCode(), r.body());
        JsonNode completion = JSON.readTree(r.body());
        assertEquals("Hello from Gemini", completion.path("choices").path(0).path("message").path("content").asText());
        assertEquals("chatcmpl-answer-1", completion.path("id").asText());
        assertEquals("gm", completion.path("model").asText());
        assertEquals(8, completion.path("usage").path("total_tokens").asInt());
        JsonNode sent = JSON.readTree(bodies.get(0));
        assertFalse(sent.has("model") || sent.has("stream"), bodies.get(0));
        assertEquals("Hi", sent.path("contents").path(0).path("parts").path(0).path("text").asText());
    }

    /** A streamed answer: asked for as SSE, its chunks re-framed as chat chunks ending with the usage asked for. */
    @Test
    void aStreamIsTranslatedChunkByChunk() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        String sse = "data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": \"Hel\"}]}}],"
                + " \"responseId\": \"s1\"}\r\n\r\n"
                + "data: " + ANSWER.replace("\n", " ").replace("Hello from Gemini", "lo") + "\r\n\r\n";
        RawClient client = start(upstream(sse, "text/event-stream", calls, new CopyOnWriteArrayList<>()),
                upstream(ANSWER, new CopyOnWriteArrayList<>()));
        String body = """
                {"model": "gm", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}""";

        RawClient.Capture capture = client.stream(RawClient.OPENAI_CHAT, body);

        assertEquals(200, capture.status());
        assertEquals(List.of("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"), calls);
        List<String> data = capture.dataLines();
        StringBuilder text = new StringBuilder();
        for (String line : data.subList(0, data.size() - 1)) {
            text.append(JSON.readTree(line).path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("Hello", text.toString(), data.toString());
        assertEquals("stop", JSON.readTree(data.get(data.size() - 3)).path("choices").path(0).path("finish_reason").asText());
        assertEquals(8, JSON.readTree(data.get(data.size() - 2)).path("usage").path("total_tokens").asInt());
        assertEquals("[DONE]", data.get(data.size() - 1));
    }

    private RawClient start(HttpServer first, HttpServer second) throws Exception {
        gateway = TestGateway.builder()
                .rawCredential(credential("first", first))
                .rawCredential(credential("second", second))
                .start();
        return new RawClient(gateway);
    }

    private static String credential(String name, HttpServer server) {
        return "  - name: " + name + "\n"
                + "    kind: gemini\n"
                + "    base-url: http://127.0.0.1:" + server.getAddress().getPort() + "\n"
                + "    api-key: gemini-test-key-" + name + "\n"
                + "    models: [{name: gm, upstream: gemini-2.5-flash}]\n";
    }

    private HttpServer upstream(String answer, List<String> paths) throws IOException {
        return upstream(answer, paths, new CopyOnWriteArrayList<>());
    }

    private HttpServer upstream(String answer, List<String> paths, List<String> bodies) throws IOException {
        return upstream(answer, "application/json; charset=UTF-8", paths, bodies);
    }

    private HttpServer upstream(String answer, String contentType, List<String> paths, List<String> bodies)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().toString());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server;
    }
}
