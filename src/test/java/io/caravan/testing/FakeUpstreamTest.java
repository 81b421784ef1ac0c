package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeUpstreamTest {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    /** Generous: the first request in a cold JVM on a busy machine can take a second or more. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();
    private final List<FakeUpstream> fakes = new ArrayList<>();

    /** Loads Vert.x, Netty, Jackson and the HTTP client once, off the clock of the timed assertions below. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (FakeUpstream up = FakeUpstream.openAi()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(up.baseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer " + up.apiKey())
                    .timeout(Duration.ofSeconds(30))
                    .POST(body(CHAT + ",\"stream\":true}")).build();
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @AfterEach
    void closeFakes() {
        fakes.forEach(FakeUpstream::close);
    }

    private FakeUpstream openAi() {
        FakeUpstream up = FakeUpstream.openAi("sk-test-key");
        fakes.add(up);
        return up;
    }

    private FakeUpstream anthropic() {
        FakeUpstream up = FakeUpstream.anthropic("sk-ant-test-key");
        fakes.add(up);
        return up;
    }

    // ---- OpenAI success shapes -------------------------------------------------------------------------

    @Test
    void openAiTextNonStreamIsAChatCompletionEchoingTheModel() throws Exception {
        FakeUpstream up = openAi();
        assertTrue(up.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/v1"), up.baseUrl());

        HttpResponse<String> response = openAiPost(up, CHAT + "}");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode body = Json.parse(response.body());
        assertEquals("chat.completion", body.get("object").asText());
        assertEquals("gpt-4o-mini", body.get("model").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals("assistant", choice.at("/message/role").asText());
        assertEquals("Hello from " + up.name(), choice.at("/message/content").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
        JsonNode usage = body.get("usage");
        assertEquals(FakeUpstream.estimateTokens(CHAT + "}"), usage.get("prompt_tokens").asInt());
        assertEquals(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
                usage.get("total_tokens").asInt());
    }

    @Test
    void openAiTextStreamHasRoleChunkWordChunksFinishUsageAndOneDone() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.text("one two three"));

        HttpResponse<String> response = openAiPost(up,
                CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<Sse> events = Sse.parse(response.body());
        assertTrue(events.stream().allMatch(e -> e.event == null), "OpenAI streams carry no event names");
        assertEquals("[DONE]", events.get(events.size() - 1).data);
        assertEquals(1, events.stream().filter(e -> "[DONE]".equals(e.data)).count());

        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(e -> Json.parse(e.data)).toList();
        JsonNode first = chunks.get(0);
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("assistant", first.at("/choices/0/delta/role").asText());
        assertEquals("", first.at("/choices/0/delta/content").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks.subList(1, 4)) {
            assertTrue(chunk.at("/choices/0/finish_reason").isNull());
            text.append(chunk.at("/choices/0/delta/content").asText());
        }
        assertEquals("one two three", text.toString());
        JsonNode finish = chunks.get(4);
        assertEquals(0, finish.at("/choices/0/delta").size());
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        for (JsonNode chunk : chunks.subList(0, 5)) {
            assertTrue(chunk.has("usage") && chunk.get("usage").isNull(), "usage:null on every chunk");
            assertEquals(first.get("id"), chunk.get("id"));
        }
        JsonNode usageChunk = chunks.get(5);
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(3, usageChunk.at("/usage/completion_tokens").asInt());
        assertEquals(6, chunks.size());
    }

    @Test
    void openAiStreamWithoutIncludeUsageHasNoUsage() throws Exception {
        FakeUpstream up = openAi();

        List<Sse> events = Sse.parse(openAiPost(up, CHAT + ",\"stream\":true}").body());

        for (Sse event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(event.data);
            assertFalse(chunk.has("usage"), event.data);
            assertEquals(1, chunk.get("choices").size());
        }
    }

    @Test
    void openAiToolCallInBothModes() throws Exception {
        FakeUpstream up = openAi();
        String args = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
        up.enqueue(Reply.toolCall("get_weather", args)).enqueue(Reply.toolCall("get_weather", args));

        JsonNode message = Json.parse(openAiPost(up, CHAT + "}").body()).at("/choices/0");
        assertEquals("tool_calls", message.get("finish_reason").asText());
        assertTrue(message.at("/message/content").isNull());
        JsonNode call = message.at("/message/tool_calls/0");
        assertTrue(call.get("id").asText().startsWith("call_"));
        assertEquals("function", call.get("type").asText());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals(args, call.at("/function/arguments").asText());

        List<Sse> events = Sse.parse(openAiPost(up, CHAT + ",\"stream\":true}").body());
        JsonNode opening = Json.parse(events.get(0).data).at("/choices/0/delta/tool_calls/0");
        assertEquals(0, opening.get("index").asInt());
        assertTrue(opening.get("id").asText().startsWith("call_"));
        assertEquals("function", opening.get("type").asText());
        assertEquals("get_weather", opening.at("/function/name").asText());
        assertEquals("", opening.at("/function/arguments").asText());
        StringBuilder streamed = new StringBuilder();
        int fragments = 0;
        for (Sse event : events.subList(1, events.size() - 2)) {
            JsonNode delta = Json.parse(event.data).at("/choices/0/delta/tool_calls/0");
            assertFalse(delta.has("id"));
            streamed.append(delta.at("/function/arguments").asText());
            fragments++;
        }
        assertEquals(args, streamed.toString());
        assertTrue(fragments > 1, "arguments arrive in several fragments");
        assertEquals("tool_calls", Json.parse(events.get(events.size() - 2).data).at("/choices/0/finish_reason").asText());
    }

    @Test
    void openAiModelsListAndUnknownRoute() throws Exception {
        FakeUpstream up = openAi();

        HttpResponse<String> models = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/models"))
                .header("Authorization", "Bearer sk-test-key").GET());
        JsonNode body = Json.parse(models.body());
        assertEquals("list", body.get("object").asText());
        assertEquals(up.modelIds().get(0), body.at("/data/0/id").asText());
        assertEquals("model", body.at("/data/0/object").asText());

        HttpResponse<String> missing = openAiPost(up, "/completions", CHAT + "}");
        assertEquals(404, missing.statusCode());
        assertTrue(Json.parse(missing.body()).at("/error/message").asText().contains("Invalid URL"));
    }

    // ---- Anthropic success shapes ----------------------------------------------------------------------

    @Test
    void anthropicTextNonStreamIsAMessage() throws Exception {
        FakeUpstream up = anthropic();
        assertTrue(up.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), up.baseUrl());
        up.enqueue(Reply.text("Bonjour"));

        HttpResponse<String> response = anthropicPost(up, MESSAGES + "}");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("request-id").isPresent());
        JsonNode body = Json.parse(response.body());
        assertEquals("message", body.get("type").asText());
        assertEquals("assistant", body.get("role").asText());
        assertEquals("claude-sonnet-4-5", body.get("model").asText());
        assertEquals("text", body.at("/content/0/type").asText());
        assertEquals("Bonjour", body.at("/content/0/text").asText());
        assertEquals("end_turn", body.get("stop_reason").asText());
        assertTrue(body.get("stop_sequence").isNull());
        assertEquals(FakeUpstream.estimateTokens(MESSAGES + "}"), body.at("/usage/input_tokens").asInt());
        assertEquals(1, body.at("/usage/output_tokens").asInt());
    }

    @Test
    void anthropicTextStreamHasNamedEventsInOrder() throws Exception {
        FakeUpstream up = anthropic();
        up.enqueue(Reply.text("one two"));

        HttpResponse<String> response = anthropicPost(up, MESSAGES + ",\"stream\":true}");

        List<Sse> events = Sse.parse(response.body());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                events.stream().map(e -> e.event).toList());
        for (Sse event : events) {
            assertEquals(event.event, Json.parse(event.data).get("type").asText());
        }
        assertEquals("{\"type\": \"ping\"}", events.get(2).data);
        JsonNode start = Json.parse(events.get(0).data).get("message");
        assertEquals(0, start.get("content").size());
        assertTrue(start.at("/usage/input_tokens").asInt() > 0);
        assertEquals("text", Json.parse(events.get(1).data).at("/content_block/type").asText());
        String text = Json.parse(events.get(3).data).at("/delta/text").asText()
                + Json.parse(events.get(4).data).at("/delta/text").asText();
        assertEquals("one two", text);
        assertEquals("text_delta", Json.parse(events.get(3).data).at("/delta/type").asText());
        JsonNode messageDelta = Json.parse(events.get(6).data);
        assertEquals("end_turn", messageDelta.at("/delta/stop_reason").asText());
        assertEquals(2, messageDelta.at("/usage/output_tokens").asInt());
    }

    @Test
    void anthropicToolUseInBothModes() throws Exception {
        FakeUpstream up = anthropic();
        String args = "{\"city\":\"Paris\",\"days\":3}";
        up.enqueue(Reply.toolCall("get_weather", args)).enqueue(Reply.toolCall("get_weather", args));

        JsonNode message = Json.parse(anthropicPost(up, MESSAGES + "}").body());
        assertEquals("tool_use", message.get("stop_reason").asText());
        JsonNode block = message.at("/content/0");
        assertEquals("tool_use", block.get("type").asText());
        assertTrue(block.get("id").asText().startsWith("toolu_"));
        assertEquals(Json.parse(args), block.get("input"));

        List<Sse> events = Sse.parse(anthropicPost(up, MESSAGES + ",\"stream\":true}").body());
        JsonNode blockStart = Json.parse(events.get(1).data).get("content_block");
        assertEquals("tool_use", blockStart.get("type").asText());
        assertEquals("get_weather", blockStart.get("name").asText());
        assertEquals(0, blockStart.get("input").size());
        List<JsonNode> deltas = events.stream().filter(e -> "content_block_delta".equals(e.event))
                .map(e -> Json.parse(e.data).get("delta")).toList();
        assertEquals("input_json_delta", deltas.get(0).get("type").asText());
        assertEquals("", deltas.get(0).get("partial_json").asText());
        assertTrue(deltas.size() > 2);
        assertEquals(args, deltas.stream().map(d -> d.get("partial_json").asText()).reduce("", String::concat));
        JsonNode messageDelta = Json.parse(events.get(events.size() - 2).data);
        assertEquals("tool_use", messageDelta.at("/delta/stop_reason").asText());
    }

    @Test
    void anthropicCountTokensAndModels() throws Exception {
        FakeUpstream up = anthropic();
        String count = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> derived = anthropicPost(up, "/v1/messages/count_tokens", count);
        assertEquals(200, derived.statusCode(), derived.body());
        assertEquals(FakeUpstream.estimateTokens(count), Json.parse(derived.body()).get("input_tokens").asInt());

        up.enqueue(Reply.text("for the next message")).enqueue(Reply.countTokens(42));
        assertEquals(42, Json.parse(anthropicPost(up, "/v1/messages/count_tokens", count).body())
                .get("input_tokens").asInt());
        assertEquals(1, up.pendingReplies(), "the text reply is kept for a messages request");

        HttpResponse<String> withMaxTokens = anthropicPost(up, "/v1/messages/count_tokens", MESSAGES + "}");
        assertEquals(400, withMaxTokens.statusCode());
        assertEquals("max_tokens: Extra inputs are not permitted",
                Json.parse(withMaxTokens.body()).at("/error/message").asText());

        HttpResponse<String> models = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/v1/models"))
                .header("x-api-key", "sk-ant-test-key").header("anthropic-version", "2023-06-01").GET());
        JsonNode list = Json.parse(models.body());
        assertEquals("model", list.at("/data/0/type").asText());
        assertTrue(list.at("/data/0/display_name").isTextual());
        assertTrue(list.at("/data/0/created_at").isTextual());
        assertFalse(list.get("has_more").asBoolean());
        assertEquals(up.modelIds().get(0), list.get("first_id").asText());
    }

    // ---- errors ----------------------------------------------------------------------------------------

    @Test
    void rateLimitedCarriesRetryAfterAndProviderResetHeaders() throws Exception {
        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.rateLimited(7)).enqueue(Reply.rateLimitedNoHint());
        HttpResponse<String> limited = openAiPost(openAi, CHAT + "}");
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
        assertEquals("7s", limited.headers().firstValue("x-ratelimit-reset-requests").orElseThrow());
        assertEquals("rate_limit_exceeded", Json.parse(limited.body()).at("/error/code").asText());
        HttpResponse<String> noHint = openAiPost(openAi, CHAT + "}");
        assertEquals(429, noHint.statusCode());
        assertTrue(noHint.headers().firstValue("retry-after").isEmpty());
        assertTrue(noHint.headers().firstValue("x-ratelimit-reset-requests").isEmpty());

        FakeUpstream anthropic = anthropic();
        anthropic.enqueue(Reply.rateLimited(5));
        Instant before = Instant.now();
        HttpResponse<String> anthropicLimited = anthropicPost(anthropic, MESSAGES + "}");
        assertEquals(429, anthropicLimited.statusCode());
        assertEquals("5", anthropicLimited.headers().firstValue("retry-after").orElseThrow());
        Instant reset = OffsetDateTime.parse(anthropicLimited.headers()
                .firstValue("anthropic-ratelimit-requests-reset").orElseThrow()).toInstant();
        assertTrue(reset.isAfter(before.plusSeconds(3)) && reset.isBefore(before.plusSeconds(7)), reset.toString());
        JsonNode body = Json.parse(anthropicLimited.body());
        assertEquals("error", body.get("type").asText());
        assertEquals("rate_limit_error", body.at("/error/type").asText());
        assertEquals(anthropicLimited.headers().firstValue("request-id").orElseThrow(),
                body.get("request_id").asText());
    }

    @Test
    void explicitErrorsHtmlAndOverloaded() throws Exception {
        FakeUpstream up = anthropic();
        up.enqueue(Reply.error(418, "teapot", Map.of("content-type", "text/plain", "x-extra", "1")))
                .enqueue(Reply.anthropicError(400, "invalid_request_error", "bad"))
                .enqueue(Reply.openAiError(500, "server_error", "boom"))
                .enqueue(Reply.html(502))
                .enqueue(Reply.overloaded());

        HttpResponse<String> raw = anthropicPost(up, MESSAGES + "}");
        assertEquals(418, raw.statusCode());
        assertEquals("teapot", raw.body());
        assertEquals("text/plain", raw.headers().firstValue("content-type").orElseThrow());
        assertEquals("1", raw.headers().firstValue("x-extra").orElseThrow());

        JsonNode anthropicBody = Json.parse(anthropicPost(up, MESSAGES + "}").body());
        assertEquals("invalid_request_error", anthropicBody.at("/error/type").asText());
        assertEquals("bad", anthropicBody.at("/error/message").asText());
        assertTrue(anthropicBody.get("request_id").asText().startsWith("req_"));

        HttpResponse<String> openAiStyle = anthropicPost(up, MESSAGES + "}");
        assertEquals(500, openAiStyle.statusCode());
        assertEquals("boom", Json.parse(openAiStyle.body()).at("/error/message").asText());
        assertTrue(Json.parse(openAiStyle.body()).at("/error/param").isNull());

        HttpResponse<String> html = anthropicPost(up, MESSAGES + "}");
        assertEquals(502, html.statusCode());
        assertEquals("text/html", html.headers().firstValue("content-type").orElseThrow());
        assertTrue(html.body().contains("<center>cloudflare</center>") && html.body().contains("502 Bad Gateway"));

        HttpResponse<String> overloaded = anthropicPost(up, MESSAGES + "}");
        assertEquals(529, overloaded.statusCode());
        assertEquals("overloaded_error", Json.parse(overloaded.body()).at("/error/type").asText());

        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.overloaded());
        assertEquals(503, openAiPost(openAi, CHAT + "}").statusCode());
    }

    @Test
    void streamErrorAfterSendsTheInBandErrorWithoutTerminator() throws Exception {
        FakeUpstream anthropic = anthropic();
        anthropic.enqueue(Reply.streamErrorAfter(1));
        List<Sse> events = Sse.parse(anthropicPost(anthropic, MESSAGES + "}").body());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "error"),
                events.stream().map(e -> e.event).toList());
        assertEquals("overloaded_error", Json.parse(events.get(4).data).at("/error/type").asText());

        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.streamErrorAfter(2));
        List<Sse> chunks = Sse.parse(openAiPost(openAi, CHAT + ",\"stream\":true}").body());
        assertEquals(4, chunks.size());
        assertTrue(Json.parse(chunks.get(3).data).has("error"));
        assertTrue(chunks.stream().noneMatch(e -> "[DONE]".equals(e.data)));
    }

    // ---- authentication and validation -----------------------------------------------------------------

    @Test
    void wrongOrMissingKeysGetTheProvidersUnauthorizedBodies() throws Exception {
        FakeUpstream openAi = openAi();
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer sk-wrong-key-123456").POST(body(CHAT + "}")));
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_api_key", Json.parse(wrong.body()).at("/error/code").asText());
        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/chat/completions"))
                .POST(body(CHAT + "}")));
        assertEquals(401, missing.statusCode());
        assertEquals("invalid_request_error", Json.parse(missing.body()).at("/error/type").asText());

        FakeUpstream anthropic = anthropic();
        HttpResponse<String> wrongKey = send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("x-api-key", "sk-ant-wrong").header("anthropic-version", "2023-06-01")
                .POST(body(MESSAGES + "}")));
        assertEquals(401, wrongKey.statusCode());
        JsonNode wrongBody = Json.parse(wrongKey.body());
        assertEquals("authentication_error", wrongBody.at("/error/type").asText());
        assertEquals("invalid x-api-key", wrongBody.at("/error/message").asText());
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").POST(body(MESSAGES + "}")));
        assertEquals(401, noKey.statusCode());
        HttpResponse<String> bearer = send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("Authorization", "Bearer sk-ant-test-key").header("anthropic-version", "2026-10-21")
                .POST(body(MESSAGES + "}")));
        assertEquals(200, bearer.statusCode(), "anthropic-java 3.x sends the API key as a Bearer token");
        assertEquals(2, openAi.requestCount(), "rejected requests are recorded");
        assertEquals(3, anthropic.requestCount());

        FakeUpstream generated = FakeUpstream.openAi();
        fakes.add(generated);
        assertTrue(generated.apiKey().startsWith("sk-fake-"));
    }

    @Test
    void openAiRejectsWhatTheRealApiRejects() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.text("kept"));
        assertOpenAi400(up, "not json", "We could not parse the JSON body");
        assertOpenAi400(up, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "you must provide a model parameter");
        assertOpenAi400(up, "{\"model\":\"gpt-4o-mini\"}", "Missing required parameter: 'messages'.");
        assertOpenAi400(up, CHAT + ",\"max_tokens_to_sample\":5}",
                "Unrecognized request argument supplied: max_tokens_to_sample");
        assertOpenAi400(up, CHAT + ",\"stream_options\":{\"include_usage\":true}}",
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        assertOpenAi400(up, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"r\"}]}", "must be a response to");
        String assistantCall = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}";
        assertOpenAi400(up, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}," + assistantCall
                + ",{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"r\"}]}",
                "'tool_call_id' of 'call_2' not found");
        assertOpenAi400(up, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}," + assistantCall
                + ",{\"role\":\"user\",\"content\":\"again\"}]}", "did not have response messages: call_1");
        assertEquals(1, up.pendingReplies(), "rejected requests do not consume scripted replies");

        HttpResponse<String> valid = openAiPost(up, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"q\"}," + assistantCall + ",{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                + "\"content\":\"r\"}]}");
        assertEquals(200, valid.statusCode(), valid.body());
        assertEquals("kept", Json.parse(valid.body()).at("/choices/0/message/content").asText());
    }

    @Test
    void anthropicRejectsWhatTheRealApiRejects() throws Exception {
        FakeUpstream up = anthropic();
        HttpResponse<String> noVersion = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/v1/messages"))
                .header("x-api-key", "sk-ant-test-key").POST(body(MESSAGES + "}")));
        assertEquals(400, noVersion.statusCode());
        assertEquals("anthropic-version: header is required",
                Json.parse(noVersion.body()).at("/error/message").asText());

        assertAnthropic400(up, "{oops", "not a valid JSON object");
        assertAnthropic400(up, "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "model: Field required");
        assertAnthropic400(up, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "max_tokens: Field required");
        assertAnthropic400(up, MESSAGES + ",\"stream_options\":{}}", "stream_options: Extra inputs are not permitted");
        assertAnthropic400(up, MESSAGES + ",\"temperature\":1.5}", "temperature: Input should be less than or equal to 1");
        assertAnthropic400(up, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\","
                + "\"content\":\"be nice\"},{\"role\":\"user\",\"content\":\"hi\"}]}", "Unexpected role \"system\"");
        assertAnthropic400(up, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"r\"}]}]}",
                "unexpected `tool_use_id` found in `tool_result` blocks: toolu_1");
        String toolUse = "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
                + "\"name\":\"f\",\"input\":{}}]}";
        assertAnthropic400(up, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + toolUse + ",{\"role\":\"user\",\"content\":\"no result\"}]}",
                "`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1");

        HttpResponse<String> valid = anthropicPost(up, "{\"model\":\"m\",\"max_tokens\":5,\"system\":\"s\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"q\"}," + toolUse + ",{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"r\"}]}]}");
        assertEquals(200, valid.statusCode(), valid.body());
    }

    // ---- broken connections ----------------------------------------------------------------------------

    @Test
    void dropAfterClosesTheSocketWithoutTerminator() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.dropAfter(2));

        try (RawClient client = new RawClient(up)) {
            client.sendPost("/v1/chat/completions", CHAT + ",\"stream\":true}", "Authorization: Bearer sk-test-key");
            String received = client.readUntilEof(WAIT);
            assertTrue(received.startsWith("HTTP/1.1 200"), received);
            assertEquals(3, received.split("data: \\{").length - 1, "role chunk + 2 content chunks");
            assertFalse(received.contains("[DONE]"));
            assertFalse(received.contains("finish_reason\":\"stop"));
            assertFalse(received.endsWith("0\r\n\r\n"), "no chunked-encoding terminator");
        }
        assertEquals(0, up.abortedByClient(), "a drop by the fake is not a client abort");
    }

    @Test
    void stallAfterKeepsTheConnectionOpenAndSilent() throws Exception {
        FakeUpstream up = anthropic();
        up.enqueue(Reply.stallAfter(1));

        try (RawClient client = new RawClient(up)) {
            client.sendPost("/v1/messages", MESSAGES + ",\"stream\":true}",
                    "x-api-key: sk-ant-test-key", "anthropic-version: 2023-06-01");
            String received = client.readUntil("event: content_block_delta", WAIT);
            assertTrue(received.startsWith("HTTP/1.1 200"), received);
            assertTrue(client.isOpenAfter(Duration.ofMillis(300)), "silent and still open");
            assertEquals(1, up.openConnections());
        }
        up.awaitAbort(WAIT);
        assertEquals(1, up.abortedByClient());
        assertTrue(up.lastRequest().clientAborted());
        up.awaitOpenConnections(0, WAIT);
        assertEquals(1, up.acceptedConnections());
    }

    @Test
    void headersThenHangSendsOnlyTheHead() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.headersThenHang());

        CompletableFuture<HttpResponse<InputStream>> response = http.sendAsync(
                openAiRequest(up, "/chat/completions", CHAT + ",\"stream\":true}"),
                HttpResponse.BodyHandlers.ofInputStream());

        HttpResponse<InputStream> head = response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, head.statusCode());
        assertTrue(head.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        head.body().close();
        up.awaitAbort(WAIT);
    }

    @Test
    void hangNeverAnswersAndRecordsTheClientGoingAway() throws Exception {
        FakeUpstream up = openAi();
        up.setDefault(Reply.hang());
        Instant closedAt;
        try (RawClient client = new RawClient(up)) {
            client.sendPost("/v1/chat/completions", CHAT + "}", "Authorization: Bearer sk-test-key");
            assertEquals("", client.readFor(Duration.ofSeconds(1)), "nothing within 1 s");
            up.awaitRequests(1, WAIT);
            assertEquals(0, up.abortedByClient());
            closedAt = Instant.now();
        }
        Instant abort = up.awaitAbort(WAIT);
        assertFalse(abort.isBefore(closedAt), abort + " is before the client closed at " + closedAt);
        assertTrue(up.lastRequest().clientAborted());
        assertEquals(abort, up.lastRequest().clientAbortedAt().orElseThrow());
    }

    @Test
    void pacedStreamSpacesItsChunksAndAbortIsSeenMidStream() throws Exception {
        FakeUpstream up = anthropic();
        up.enqueue(Reply.text("a b c").paced(Duration.ofMillis(50)));

        long start = System.nanoTime();
        HttpResponse<String> response = anthropicPost(up, MESSAGES + ",\"stream\":true}");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(9, Sse.parse(response.body()).size());
        assertTrue(elapsedMillis >= 400, "9 events, 8 gaps of 50 ms, took " + elapsedMillis + " ms");

        up.enqueue(Reply.text("x y z w v u t s r q p").paced(Duration.ofMillis(100)));
        try (RawClient client = new RawClient(up)) {
            client.sendPost("/v1/messages", MESSAGES + ",\"stream\":true}",
                    "x-api-key: sk-ant-test-key", "anthropic-version: 2023-06-01");
            String first = client.readUntil("event: message_start", WAIT);
            assertFalse(first.contains("message_stop"), first);
        }
        up.awaitAbort(WAIT);
        assertEquals(1, up.abortedByClient());
        assertTrue(up.lastRequest().clientAborted());
    }

    @Test
    void delayedHoldsBackTheStatusLine() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.text("late").delayed(Duration.ofMillis(300)));
        long start = System.nanoTime();
        HttpResponse<String> response = openAiPost(up, CHAT + "}");
        assertEquals(200, response.statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300);
    }

    // ---- bookkeeping -----------------------------------------------------------------------------------

    @Test
    void recordsRequestsWithCaseInsensitiveHeadersAndParsedJson() throws Exception {
        FakeUpstream up = openAi();
        up.enqueue(Reply.text("first")).enqueue(Reply.text("second"));
        HttpResponse<String> one = openAiPost(up, CHAT + ",\"user\":\"u1\"}");
        HttpResponse<String> two = openAiPost(up, CHAT + "}");
        HttpResponse<String> three = openAiPost(up, CHAT + "}");

        assertEquals("first", Json.parse(one.body()).at("/choices/0/message/content").asText());
        assertEquals("second", Json.parse(two.body()).at("/choices/0/message/content").asText());
        assertEquals("Hello from " + up.name(), Json.parse(three.body()).at("/choices/0/message/content").asText());
        List<RecordedRequest> requests = up.awaitRequests(3, WAIT);
        assertEquals(3, up.requestCount());
        RecordedRequest first = requests.get(0);
        assertEquals("POST", first.method());
        assertEquals("/v1/chat/completions", first.path());
        assertEquals("Bearer sk-test-key", first.header("AUTHORIZATION"));
        assertEquals(List.of("Bearer sk-test-key"), first.headers().get("authorization"));
        assertEquals("u1", first.json().get("user").asText());
        assertEquals("gpt-4o-mini", first.model());
        assertFalse(first.streamRequested());
        assertNull(first.query());
        assertThrows(UnsupportedOperationException.class, () -> first.headers().put("x", List.of()));
        assertThrows(AssertionError.class, () -> up.awaitRequests(4, Duration.ofMillis(50)));
        assertTrue(up.acceptedConnections() >= 1);
    }

    @Test
    void defaultHttpClientWithH2cUpgradeStillGetsHttp11() throws Exception {
        FakeUpstream up = openAi();
        HttpClient defaultClient = HttpClient.newHttpClient();
        HttpResponse<String> response = defaultClient.send(openAiRequest(up, "/chat/completions", CHAT + "}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    }

    @Test
    void closeReleasesThePortAndConnections() throws Exception {
        FakeUpstream up = FakeUpstream.openAi();
        up.setDefault(Reply.hang());
        RawClient client = new RawClient(up);
        client.sendPost("/v1/chat/completions", CHAT + "}", "Authorization: Bearer " + up.apiKey());
        up.awaitRequests(1, WAIT);
        up.close();
        assertEquals("", client.readUntilEof(WAIT));
        assertEquals(0, up.abortedByClient(), "closing the fake is not a client abort");
        client.close();
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", up.port()).close());
        up.close();
    }

    @Test
    void endAfterEndsTheResponseNormallyWithoutFinishOrTerminator() throws Exception {
        FakeUpstream anthropic = anthropic();
        anthropic.enqueue(Reply.endAfter(2));
        HttpResponse<String> messages = anthropicPost(anthropic, MESSAGES + ",\"stream\":true}");
        assertEquals(200, messages.statusCode());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta"), Sse.parse(messages.body()).stream().map(e -> e.event).toList());

        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.endAfter(2));
        List<Sse> chunks = Sse.parse(openAiPost(openAi, CHAT + ",\"stream\":true}").body());
        assertEquals(3, chunks.size(), "role chunk + 2 content chunks");
        assertTrue(chunks.stream().allMatch(e -> Json.parse(e.data).at("/choices/0/finish_reason").isNull()));
    }

    @Test
    void textWithoutLastEventKeepsTheFinishButNotTheTerminator() throws Exception {
        FakeUpstream anthropic = anthropic();
        anthropic.enqueue(Reply.textWithoutLastEvent("one two"));
        List<Sse> events = Sse.parse(anthropicPost(anthropic, MESSAGES + ",\"stream\":true}").body());
        assertEquals("message_delta", events.get(events.size() - 1).event);

        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.textWithoutLastEvent("one two"));
        List<Sse> chunks = Sse.parse(openAiPost(openAi, CHAT + ",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}").body());
        assertTrue(chunks.stream().noneMatch(e -> "[DONE]".equals(e.data)));
        assertEquals("stop", Json.parse(chunks.get(chunks.size() - 2).data).at("/choices/0/finish_reason").asText());
        assertTrue(Json.parse(chunks.get(chunks.size() - 1).data).get("usage").isObject(), "the usage chunk stays");
    }

    @Test
    void malformedEventAfterSendsCutOffJsonThenTheRestOfTheStream() throws Exception {
        FakeUpstream openAi = openAi();
        openAi.enqueue(Reply.malformedEventAfter(1));
        List<Sse> chunks = Sse.parse(openAiPost(openAi, CHAT + ",\"stream\":true}").body());
        assertEquals(5, chunks.size(), "role, content, malformed, finish, [DONE]");
        assertThrows(RuntimeException.class, () -> Json.parse(chunks.get(2).data));
        assertEquals("[DONE]", chunks.get(4).data);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void assertOpenAi400(FakeUpstream up, String body, String messagePart) throws Exception {
        HttpResponse<String> response = openAiPost(up, body);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = Json.parse(response.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.get("message").asText().contains(messagePart), error.toString());
        assertTrue(error.has("param") && error.has("code"));
    }

    private void assertAnthropic400(FakeUpstream up, String body, String messagePart) throws Exception {
        HttpResponse<String> response = anthropicPost(up, body);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode json = Json.parse(response.body());
        assertEquals("error", json.get("type").asText());
        assertEquals("invalid_request_error", json.at("/error/type").asText());
        assertTrue(json.at("/error/message").asText().contains(messagePart), json.toString());
    }

    private HttpResponse<String> openAiPost(FakeUpstream up, String json) throws Exception {
        return openAiPost(up, "/chat/completions", json);
    }

    private HttpResponse<String> openAiPost(FakeUpstream up, String path, String json) throws Exception {
        return http.send(openAiRequest(up, path, json), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest openAiRequest(FakeUpstream up, String path, String json) {
        return HttpRequest.newBuilder(URI.create(up.baseUrl() + path))
                .header("Authorization", "Bearer " + up.apiKey())
                .header("content-type", "application/json")
                .timeout(WAIT)
                .POST(body(json)).build();
    }

    private HttpResponse<String> anthropicPost(FakeUpstream up, String json) throws Exception {
        return anthropicPost(up, "/v1/messages", json);
    }

    private HttpResponse<String> anthropicPost(FakeUpstream up, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(up.baseUrl() + path))
                .header("x-api-key", up.apiKey())
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(body(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    /** One server-sent event. */
    private record Sse(String event, String data) {
        static List<Sse> parse(String stream) {
            List<Sse> events = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                if (block.isBlank()) {
                    continue;
                }
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(data.length() == 0 ? "" : "\n").append(line.substring(6));
                    } else {
                        throw new AssertionError("unexpected SSE line: " + line);
                    }
                }
                events.add(new Sse(event, data.toString()));
            }
            return events;
        }
    }

    /** A bare TCP client, for observing exactly when and how the fake closes or stops writing. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        RawClient(FakeUpstream up) throws IOException {
            socket = new Socket("127.0.0.1", up.port());
            in = socket.getInputStream();
        }

        void sendPost(String path, String json, String... headers) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        }

        /** Everything received until the server closes the connection; fails if it stays open past the timeout. */
        String readUntilEof(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        /** Everything received up to and including {@code marker}; fails if it does not arrive in time. */
        String readUntil(String marker, Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new AssertionError("connection closed before '" + marker + "': " + received);
                }
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        /** Everything received within this window; the connection must stay open throughout. */
        String readFor(Duration window) throws IOException {
            long deadline = System.nanoTime() + window.toNanos();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    return received.toString(StandardCharsets.UTF_8);
                }
                socket.setSoTimeout((int) remaining);
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        throw new AssertionError("server closed the connection after: " + received);
                    }
                    received.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    return received.toString(StandardCharsets.UTF_8);
                }
            }
        }

        boolean isOpenAfter(Duration window) throws IOException {
            return readFor(window).isEmpty();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
