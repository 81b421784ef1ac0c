package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
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
 * call with one fixed body in Gemini's exact wire and records the paths and bodies it was sent. The Gemini fake, which
 * checks requests as the real API does (fields, types, turns, pairing, signatures), takes a tool round trip on a
 * Gemini 3 model and a request using every field the translation writes.
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

    /**
     * A tool round trip with the Gemini fake that checks requests as Gemini 3 does: the call's signature comes back
     * to the caller as {@code reasoning_signature}, and with the caller's next turn goes back to Gemini on that call,
     * which Gemini 3 refuses to go without; the result is paired with its call by name.
     */
    @Test
    void aToolRoundTripCarriesGeminisSignatureBack() throws Exception {
        FakeUpstream fake = FakeUpstream.gemini();
        try {
            fake.enqueue(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}")).enqueue(Reply.text("Sunny in Paris."));
            gateway = TestGateway.builder().rawCredential("  - name: fake\n    kind: gemini\n    base-url: "
                    + fake.baseUrl() + "\n    api-key: " + fake.apiKey() + "\n    models: [gemini-3-pro-preview]\n")
                    .start();
            RawClient client = new RawClient(gateway);
            String tools = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
                    + " \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}]";
            String question = "{\"role\": \"user\", \"content\": \"Weather in Paris?\"}";

            HttpResponse<String> first = client.post(RawClient.OPENAI_CHAT, "{\"model\": \"gemini-3-pro-preview\", "
                    + tools + ", \"messages\": [" + question + "]}");

            assertEquals(200, first.statusCode(), first.body());
            JsonNode message = JSON.readTree(first.body()).path("choices").path(0).path("message");
            assertTrue(message.path("reasoning_signature").asText().startsWith("gemini."), first.body());
            String callId = message.path("tool_calls").path(0).path("id").asText();
            String result = "{\"role\": \"tool\", \"tool_call_id\": \"" + callId + "\", \"content\": \"sunny\"}";

            HttpResponse<String> second = client.post(RawClient.OPENAI_CHAT, "{\"model\": \"gemini-3-pro-preview\", "
                    + tools + ", \"messages\": [" + question + ", " + message + ", " + result + "]}");

            assertEquals(200, second.statusCode(), second.body());
            assertEquals("Sunny in Paris.",
                    JSON.readTree(second.body()).path("choices").path(0).path("message").path("content").asText());
            JsonNode sentCall = JSON.readTree(fake.lastRequest().body()).path("contents").path(1).path("parts").path(0);
            assertEquals(message.path("reasoning_signature").asText().substring("gemini.".length()),
                    sentCall.path("thoughtSignature").asText(), sentCall.toString());
        } finally {
            fake.close();
        }
    }

    /** Every field the translation writes is one the Gemini fake's proto parser knows, of the type it expects. */
    @Test
    void aRequestUsingEveryTranslatedFieldIsOneGeminiAccepts() throws Exception {
        FakeUpstream fake = FakeUpstream.gemini();
        try {
            fake.enqueue(Reply.text("{\"a\": 1}"));
            gateway = TestGateway.builder().rawCredential("  - name: fake\n    kind: gemini\n    base-url: "
                    + fake.baseUrl() + "\n    api-key: " + fake.apiKey() + "\n    models: [gemini-2.5-flash]\n")
                    .start();
            String body = """
                    {"model": "gemini-2.5-flash", "temperature": 0.2, "top_p": 0.9, "max_completion_tokens": 500,
                     "stop": ["END"], "seed": 3, "presence_penalty": 0.1, "frequency_penalty": 0.1, "n": 1,
                     "reasoning_effort": "low", "user": "u", "parallel_tool_calls": false,
                     "response_format": {"type": "json_schema", "json_schema": {"name": "r",
                        "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}},
                     "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                        "parameters": {"type": "object", "properties": {}}}}],
                     "tool_choice": "auto",
                     "messages": [{"role": "system", "content": "Answer in JSON."},
                       {"role": "user", "content": [{"type": "text", "text": "What is in the picture?"},
                         {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}""";

            HttpResponse<String> r = new RawClient(gateway).post(RawClient.OPENAI_CHAT, body);

            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"a\": 1}",
                    JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText());
        } finally {
            fake.close();
        }
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
