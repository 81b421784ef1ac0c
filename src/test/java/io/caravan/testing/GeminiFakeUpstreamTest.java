package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gemini fake speaks Google AI Studio's wire format and refuses what the real API refuses, in its words. */
class GeminiFakeUpstreamTest {

    private static final String MODEL = "gemini-2.5-flash";
    private static final String GENERATE = "/v1beta/models/" + MODEL + ":generateContent";
    private static final String STREAM = "/v1beta/models/" + MODEL + ":streamGenerateContent?alt=sse";
    private static final String HI = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private final List<FakeUpstream> fakes = new ArrayList<>();

    @AfterEach
    void closeFakes() {
        fakes.forEach(FakeUpstream::close);
    }

    private FakeUpstream gemini() {
        FakeUpstream up = FakeUpstream.gemini("AIzaSy-test-key");
        fakes.add(up);
        return up;
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    @Test
    void generateContentIsAGenerateContentResponseWithUsage() throws Exception {
        FakeUpstream up = gemini();
        assertTrue(up.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), up.baseUrl());
        assertTrue(up.apiKey().startsWith("AIzaSy"), "FakeUpstream.gemini(key) keeps the key");

        HttpResponse<String> response = post(up, GENERATE, HI + "}");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Json.parse(response.body());
        JsonNode candidate = body.at("/candidates/0");
        assertEquals("model", candidate.at("/content/role").asText());
        assertEquals("Hello from " + up.name(), candidate.at("/content/parts/0/text").asText());
        assertEquals("STOP", candidate.get("finishReason").asText());
        assertEquals(MODEL, body.get("modelVersion").asText());
        assertFalse(body.get("responseId").asText().isEmpty());
        JsonNode usage = body.get("usageMetadata");
        assertEquals(FakeUpstream.estimateTokens(HI + "}"), usage.get("promptTokenCount").asInt());
        assertEquals(usage.get("promptTokenCount").asInt() + usage.get("candidatesTokenCount").asInt(),
                usage.get("totalTokenCount").asInt());
        assertFalse(usage.has("thoughtsTokenCount"), "no thoughts were asked for");
        assertTrue(up.name().startsWith("gemini:"));
    }

    @Test
    void streamIsCompleteResponsesPerWordCrlfFramedWithoutTerminator() throws Exception {
        FakeUpstream up = gemini();
        up.enqueue(Reply.text("one two three"));

        HttpResponse<String> response = post(up, STREAM, HI + "}");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        String raw = response.body();
        assertTrue(raw.endsWith("}\r\n\r\n"), raw);
        assertFalse(raw.contains("[DONE]"));
        List<JsonNode> chunks = chunks(raw);
        assertEquals(4, chunks.size(), "three words and the finishing chunk");
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            assertEquals(chunks.get(0).get("responseId"), chunk.get("responseId"), "one response id per stream");
            assertTrue(chunk.has("usageMetadata"), "running usage on every chunk");
            text.append(chunk.at("/candidates/0/content/parts/0/text").asText());
        }
        assertEquals("one two three", text.toString());
        assertTrue(chunks.subList(0, 3).stream().noneMatch(c -> c.at("/candidates/0").has("finishReason")));
        JsonNode last = chunks.get(3);
        assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
        assertEquals(3, last.at("/usageMetadata/candidatesTokenCount").asInt());
        assertEquals(2, chunks.get(1).at("/usageMetadata/candidatesTokenCount").asInt());
    }

    @Test
    void functionCallsComeWholeWithAThoughtSignatureAndNoId() throws Exception {
        FakeUpstream up = gemini();
        up.enqueue(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}"))
                .enqueue(Reply.toolCall("get_weather", "{\"city\":\"Oslo\"}"));

        JsonNode answer = Json.parse(post(up, GENERATE, HI + "}").body());
        JsonNode part = answer.at("/candidates/0/content/parts/0");
        assertEquals("get_weather", part.at("/functionCall/name").asText());
        assertEquals("Paris", part.at("/functionCall/args/city").asText());
        assertFalse(part.get("functionCall").has("id"), "AI Studio calls carry no id");
        assertTrue(part.get("thoughtSignature").isTextual());
        assertEquals("STOP", answer.at("/candidates/0/finishReason").asText());

        List<JsonNode> chunks = chunks(post(up, STREAM, HI + "}").body());
        assertEquals(1, chunks.size(), "the call comes whole in the finishing chunk");
        assertEquals("Oslo", chunks.get(0).at("/candidates/0/content/parts/0/functionCall/args/city").asText());
        assertTrue(chunks.get(0).at("/candidates/0/content/parts/0/thoughtSignature").isTextual());
    }

    @Test
    void includeThoughtsAddsAThoughtPartASignatureAndThoughtTokens() throws Exception {
        FakeUpstream up = gemini();
        String thinking = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":"
                + "{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":512}}}";
        up.enqueue(Reply.text("Answer."));

        JsonNode answer = Json.parse(post(up, GENERATE, thinking).body());
        JsonNode parts = answer.at("/candidates/0/content/parts");
        assertEquals(GeminiWire.THOUGHT, parts.get(0).get("text").asText());
        assertTrue(parts.get(0).get("thought").asBoolean());
        assertEquals("Answer.", parts.get(1).get("text").asText());
        String signature = parts.get(1).get("thoughtSignature").asText();
        JsonNode usage = answer.get("usageMetadata");
        int thoughts = usage.get("thoughtsTokenCount").asInt();
        assertTrue(thoughts > 0);
        assertEquals(usage.get("promptTokenCount").asInt() + usage.get("candidatesTokenCount").asInt() + thoughts,
                usage.get("totalTokenCount").asInt(), "candidates exclude the thoughts, the total does not");

        String nextTurn = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\","
                + "\"parts\":[{\"text\":\"Answer.\",\"thoughtSignature\":\"" + signature + "\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"more\"}]}]}";
        assertEquals(200, post(up, GENERATE, nextTurn).statusCode(), "a signature the fake made is accepted");

        List<JsonNode> chunks = chunks(post(up, STREAM, thinking).body());
        assertTrue(chunks.get(0).at("/candidates/0/content/parts/0/thought").asBoolean());
        JsonNode end = chunks.get(chunks.size() - 1).at("/candidates/0/content/parts/0");
        assertEquals("", end.get("text").asText());
        assertTrue(end.get("thoughtSignature").isTextual(), "the signature comes with the last, empty text part");
    }

    @Test
    void countTokensModelsAndEmbeddings() throws Exception {
        FakeUpstream up = gemini();
        String count = HI + "}";
        JsonNode counted = Json.parse(post(up, "/v1beta/models/" + MODEL + ":countTokens", count).body());
        assertEquals(FakeUpstream.estimateTokens(count), counted.get("totalTokens").asInt());
        up.enqueue(Reply.countTokens(42));
        assertEquals(42, Json.parse(post(up, "/v1beta/models/" + MODEL + ":countTokens", count).body())
                .get("totalTokens").asInt());

        HttpResponse<String> models = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/v1beta/models"))
                .header("x-goog-api-key", up.apiKey()).GET());
        assertEquals(200, models.statusCode());
        JsonNode listed = Json.parse(models.body()).get("models");
        assertEquals("models/gemini-2.5-flash", listed.get(0).get("name").asText());
        assertEquals(up.modelIds().size(), listed.size());

        String embedPath = "/v1beta/models/gemini-embedding-001:embedContent";
        String embed = "{\"content\":{\"parts\":[{\"text\":\"a cat\"}]},\"outputDimensionality\":8}";
        JsonNode one = Json.parse(post(up, embedPath, embed).body()).at("/embedding/values");
        assertEquals(8, one.size());
        assertEquals(one, Json.parse(post(up, embedPath, embed).body()).at("/embedding/values"), "deterministic");
        JsonNode full = Json.parse(post(up, embedPath, "{\"content\":{\"parts\":[{\"text\":\"a cat\"}]}}").body());
        assertEquals(3072, full.at("/embedding/values").size(), "gemini-embedding-001's default size");

        String batch = "{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":"
                + "\"a cat\"}]},\"outputDimensionality\":8},{\"model\":\"models/gemini-embedding-001\",\"content\":"
                + "{\"parts\":[{\"text\":\"a dog\"}]},\"outputDimensionality\":8}]}";
        JsonNode embeddings = Json.parse(post(up, "/v1beta/models/gemini-embedding-001:batchEmbedContents", batch)
                .body()).get("embeddings");
        assertEquals(2, embeddings.size());
        assertEquals(one, embeddings.get(0).get("values"), "the same text gives the same vector in a batch");
        assertFalse(one.equals(embeddings.get(1).get("values")));

        up.enqueue(Reply.rateLimited(3));
        HttpResponse<String> limited = post(up, embedPath, embed);
        assertEquals(429, limited.statusCode(), "errors answer embedding requests too");
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    @Test
    void rateLimitSaysTheDelayOnlyInTheBodyAsGoogleDoes() throws Exception {
        FakeUpstream up = gemini();
        up.enqueue(Reply.rateLimited(17)).enqueue(Reply.rateLimitedNoHint());

        HttpResponse<String> limited = post(up, GENERATE, HI + "}");
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().firstValue("retry-after").isEmpty(), "AI Studio sends no retry-after");
        JsonNode error = Json.parse(limited.body()).get("error");
        assertEquals(429, error.get("code").asInt());
        assertEquals("RESOURCE_EXHAUSTED", error.get("status").asText());
        JsonNode details = error.get("details");
        assertEquals("type.googleapis.com/google.rpc.QuotaFailure", details.get(0).get("@type").asText());
        assertTrue(details.get(0).at("/violations/0/quotaMetric").asText().startsWith("generativelanguage"));
        assertEquals("type.googleapis.com/google.rpc.Help", details.get(1).get("@type").asText());
        assertEquals("type.googleapis.com/google.rpc.RetryInfo", details.get(2).get("@type").asText());
        assertEquals("17s", details.get(2).get("retryDelay").asText());
        assertTrue(error.get("message").asText().endsWith("Please retry in 17.0s."), error.toString());

        JsonNode noHint = Json.parse(post(up, GENERATE, HI + "}").body()).get("error");
        assertEquals("RESOURCE_EXHAUSTED", noHint.get("status").asText());
        assertNull(noHint.get("details"));
    }

    @Test
    void keysAreCheckedAsGoogleDoes() throws Exception {
        FakeUpstream up = gemini();
        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + GENERATE))
                .header("content-type", "application/json").POST(body(HI + "}")));
        assertEquals(403, missing.statusCode());
        assertEquals("PERMISSION_DENIED", Json.parse(missing.body()).at("/error/status").asText());

        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + GENERATE))
                .header("x-goog-api-key", "AIzaSy-wrong").POST(body(HI + "}")));
        assertEquals(400, wrong.statusCode(), "Google answers an unknown key with 400, not 401");
        JsonNode error = Json.parse(wrong.body()).get("error");
        assertEquals("INVALID_ARGUMENT", error.get("status").asText());
        assertEquals("API key not valid. Please pass a valid API key.", error.get("message").asText());
        assertEquals("API_KEY_INVALID", error.at("/details/0/reason").asText());

        HttpResponse<String> query = send(HttpRequest.newBuilder(URI.create(up.baseUrl() + GENERATE + "?key="
                + up.apiKey())).POST(body(HI + "}")));
        assertEquals(200, query.statusCode(), "?key= is a key too");

        HttpResponse<String> unknown = post(up, "/v1beta/models/" + MODEL + ":frobnicate", HI + "}");
        assertEquals(404, unknown.statusCode());
        assertEquals("NOT_FOUND", Json.parse(unknown.body()).at("/error/status").asText());
    }

    @Test
    void unknownFieldsAtAnyLevelAreRefusedWithGooglesMessageAndFieldViolations() throws Exception {
        FakeUpstream up = gemini();
        assertInvalid(up, "{\"model\":\"gemini-2.5-flash\",\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}",
                "Invalid JSON payload received. Unknown name \"model\": Cannot find field.");
        JsonNode error = assertInvalid(up, HI + ",\"stream\":true}",
                "Invalid JSON payload received. Unknown name \"stream\": Cannot find field.");
        assertEquals("type.googleapis.com/google.rpc.BadRequest", error.at("/details/0/@type").asText());
        assertFalse(error.at("/details/0/fieldViolations/0").has("field"), "a top-level name has no field path");

        error = assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\",\"cache_control\":"
                + "{}}]}],\"generationConfig\":{\"max_tokens\":5}}",
                "Invalid JSON payload received. Unknown name \"cache_control\" at 'contents[0].parts[0]': Cannot find "
                        + "field.\nInvalid JSON payload received. Unknown name \"max_tokens\" at 'generation_config': "
                        + "Cannot find field.");
        assertEquals("contents[0].parts[0]", error.at("/details/0/fieldViolations/0/field").asText());
        assertEquals("generation_config", error.at("/details/0/fieldViolations/1/field").asText());

        assertInvalid(up, HI + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":{\"type\":"
                + "\"object\",\"additionalProperties\":false,\"properties\":{\"a\":{\"type\":\"string\"},\"b\":"
                + "{\"type\":\"string\",\"const\":\"x\"}}}}]}]}",
                "Invalid JSON payload received. Unknown name \"additionalProperties\" at "
                        + "'tools[0].function_declarations[0].parameters': Cannot find field.\nInvalid JSON payload "
                        + "received. Unknown name \"const\" at 'tools[0].function_declarations[0].parameters"
                        + ".properties[1].value': Cannot find field.");
        assertEquals(200, post(up, GENERATE, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"system_instruction\":{\"parts\":[{\"text\":\"be brief\"}]},\"generation_config\":"
                + "{\"max_output_tokens\":\"64\",\"temperature\":0.2,\"thinking_config\":{\"thinking_level\":\"low\"}}}")
                .statusCode(), "proto names, numbers as strings and lower-case enums are what Google accepts");
        assertEquals(200, post(up, GENERATE, HI + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\","
                + "\"parametersJsonSchema\":{\"type\":\"object\",\"additionalProperties\":false,\"$schema\":\"x\"}}]}]}")
                .statusCode(), "parametersJsonSchema is JSON Schema as it is");
    }

    @Test
    void typesOfValuesAreCheckedAsTheProtoParserDoes() throws Exception {
        FakeUpstream up = gemini();
        assertInvalid(up, HI + ",\"generationConfig\":{\"temperature\":\"hot\"}}",
                "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\"");
        assertInvalid(up, HI + ",\"generationConfig\":{\"maxOutputTokens\":1.5}}",
                "Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32), 1.5");
        assertInvalid(up, HI + ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":\"yes\"}}}",
                "Invalid value at 'generation_config.thinking_config.include_thoughts' (TYPE_BOOL), \"yes\"");
        assertInvalid(up, HI + ",\"generationConfig\":{\"thinkingConfig\":{\"thinkingLevel\":\"extreme\"}}}",
                "Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/"
                        + "google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), \"extreme\"");
        assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
                        + "\"data\":\"not base64!\"}}]}]}",
                "Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding failed for "
                        + "\"not base64!\"");
        assertInvalid(up, "{\"contents\":{\"parts\":[{\"text\":\"hi\"}]}}",
                "Invalid JSON payload received. Unknown name \"contents\": Proto field is repeating, cannot start "
                        + "object.");
        assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\",\"inlineData\":"
                        + "{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}]}",
                "Invalid JSON payload received. Oneof field 'data' is already set. Cannot set 'inlineData' at "
                        + "'contents[0].parts[0]'.");
        assertInvalid(up, HI + ",\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":100,"
                + "\"thinkingLevel\":\"high\"}}}", "You can only set only one of thinking budget and thinking level.");
        assertInvalid(up, HI + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":{\"type\":"
                + "\"OBJECT\"},\"parametersJsonSchema\":{\"type\":\"object\"}}]}]}",
                "* GenerateContentRequest.tools[0].function_declarations[0].parameters: parameters and "
                        + "parameters_json_schema cannot both be set.\n");
        assertEquals(200, post(up, GENERATE, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":"
                + "{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"text\":\"what is it?\"}]}]}").statusCode());
    }

    @Test
    void conversationsAreCheckedAsGeminiDoes() throws Exception {
        FakeUpstream up = gemini();
        assertInvalid(up, "{\"contents\":[]}", "* GenerateContentRequest.contents: contents is not specified\n");
        assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[]}]}",
                "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n");
        assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[{}]}]}",
                "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one "
                        + "initialized field\n");
        assertInvalid(up, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"assistant\","
                + "\"parts\":[{\"text\":\"hello\"}]}]}", "Please use a valid role: user, model.");
        assertInvalid(up, "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"text\":\"hello\"}]}]}",
                "Please ensure that multiturn requests alternate between user and model.");

        String call = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{}}},"
                + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]}";
        String question = "{\"role\":\"user\",\"parts\":[{\"text\":\"weather and time?\"}]}";
        assertInvalid(up, "{\"contents\":[" + call + "]}", "Please ensure that function call turn comes "
                + "immediately after a user turn or after a function response turn.");
        assertInvalid(up, "{\"contents\":[" + question + "," + call + ",{\"role\":\"user\",\"parts\":["
                        + response("get_weather") + "]}]}",
                "Please ensure that the number of function response parts is equal to the number of function call "
                        + "parts of the function call turn.");
        assertInvalid(up, "{\"contents\":[" + question + ",{\"role\":\"user\",\"parts\":[" + response("get_weather")
                + "]}]}", "Please ensure that function response turn comes immediately after a function call turn.");
        assertInvalid(up, "{\"contents\":[" + question + "," + call + ",{\"role\":\"user\",\"parts\":["
                        + response("get_weather") + "," + response("get_news") + "]}]}",
                "* GenerateContentRequest.contents[2]: function response \"get_news\" answers no function call of "
                        + "the function call turn.\n");
        assertEquals(200, post(up, GENERATE, "{\"contents\":[" + question + "," + call + ",{\"role\":\"user\","
                + "\"parts\":[" + response("get_time") + "," + response("get_weather") + "]}]}").statusCode(),
                "answers in any order, matched by name");
    }

    @Test
    void thoughtSignaturesMustBeGeminisAndGemini3WantsThemOnTheCurrentTurnsCalls() throws Exception {
        FakeUpstream up = gemini();
        String question = "{\"role\":\"user\",\"parts\":[{\"text\":\"weather?\"}]}";
        String unsigned = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{}}}]}";
        String answer = "{\"role\":\"user\",\"parts\":[" + response("get_weather") + "]}";
        String conversation = "{\"contents\":[" + question + "," + unsigned + "," + answer + "]}";
        assertEquals(200, post(up, GENERATE, conversation).statusCode(), "Gemini 2.5 does not insist");

        String gemini3 = "/v1beta/models/gemini-3-pro-preview:generateContent";
        HttpResponse<String> refused = post(up, gemini3, conversation);
        assertEquals(400, refused.statusCode());
        assertTrue(Json.parse(refused.body()).at("/error/message").asText().startsWith("Function call is missing a "
                + "thought_signature in functionCall parts."), refused.body());
        assertTrue(refused.body().contains("`default_api:get_weather` , position 2."), refused.body());

        String dummy = unsigned.replace("{}}}", "{}},\"thoughtSignature\":\"" + GeminiWire.SKIP_SIGNATURE_CHECK + "\"}");
        assertEquals(200, post(up, gemini3, "{\"contents\":[" + question + "," + dummy + "," + answer + "]}")
                .statusCode(), "Google's documented dummy skips the check");
        String earlierTurn = "{\"contents\":[" + question + "," + unsigned + "," + answer + ",{\"role\":\"model\","
                + "\"parts\":[{\"text\":\"sunny\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"thanks\"}]}]}";
        assertEquals(200, post(up, gemini3, earlierTurn).statusCode(), "only the current turn needs signatures");

        String forged = unsigned.replace("{}}}", "{}},\"thoughtSignature\":\"c2lnbmVkIGJ5IGNsYXVkZQ==\"}");
        assertInvalid(up, "{\"contents\":[" + question + "," + forged + "," + answer + "]}",
                "Corrupted thought signature.");
    }

    @Test
    void brokenStreamsUseTheSharedPlans() throws Exception {
        FakeUpstream up = gemini();
        up.enqueue(Reply.dropAfter(2));
        try (Raw client = new Raw(up)) {
            client.post(STREAM, HI + "}", up.apiKey());
            String received = client.readUntilEof();
            assertTrue(received.startsWith("HTTP/1.1 200"), received);
            assertEquals(2, received.split("data: \\{").length - 1, "two word chunks, then the connection closes");
            assertFalse(received.contains("finishReason"));
        }

        up.enqueue(Reply.streamErrorAfter(1));
        List<JsonNode> chunks = chunks(post(up, STREAM, HI + "}").body());
        assertEquals(2, chunks.size());
        assertEquals("UNAVAILABLE", chunks.get(1).at("/error/status").asText(), "the error is a chunk of its own");
        assertEquals(503, chunks.get(1).at("/error/code").asInt());

        up.enqueue(Reply.geminiError(500, "An internal error has occurred. Please retry or report in "
                + "https://developers.generativeai.google/guide/troubleshooting"));
        HttpResponse<String> internal = post(up, GENERATE, HI + "}");
        assertEquals(500, internal.statusCode());
        assertEquals("INTERNAL", Json.parse(internal.body()).at("/error/status").asText());

        HttpResponse<String> noSse = post(up, "/v1beta/models/" + MODEL + ":streamGenerateContent", HI + "}");
        assertEquals(400, noSse.statusCode(), "a JSON-array stream is not served: says so");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String response(String name) {
        return "{\"functionResponse\":{\"name\":\"" + name + "\",\"response\":{\"output\":\"ok\"}}}";
    }

    private JsonNode assertInvalid(FakeUpstream up, String body, String message) throws Exception {
        HttpResponse<String> response = post(up, GENERATE, body);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = Json.parse(response.body()).get("error");
        assertEquals(400, error.get("code").asInt());
        assertEquals("INVALID_ARGUMENT", error.get("status").asText());
        assertEquals(message, error.get("message").asText());
        return error;
    }

    private static List<JsonNode> chunks(String sse) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String event : sse.split("\r\n\r\n")) {
            if (!event.isBlank()) {
                assertTrue(event.startsWith("data: "), event);
                chunks.add(Json.parse(event.substring(6)));
            }
        }
        return chunks;
    }

    private HttpResponse<String> post(FakeUpstream up, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(up.baseUrl() + path))
                .header("x-goog-api-key", up.apiKey())
                .header("content-type", "application/json")
                .POST(body(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    /** A bare TCP client, to see the fake close the connection mid-stream. */
    private static final class Raw implements AutoCloseable {
        private final Socket socket;

        Raw(FakeUpstream up) throws IOException {
            socket = new Socket("127.0.0.1", up.port());
        }

        void post(String path, String json, String key) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "x-goog-api-key: " + key + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        }

        String readUntilEof() throws IOException {
            socket.setSoTimeout((int) WAIT.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
