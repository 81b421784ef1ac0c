package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14: the Google GenAI Java SDK pointed at the gateway. Each scenario runs over a Gemini credential (the body
 * passed through as it is) and, translated, over an OpenAI and an Anthropic credential: the SDK must see the same
 * answers, and each upstream must receive the conversation in its own valid form (the fakes validate as the real
 * APIs do: the Gemini fake refuses unknown fields, role order, unpaired function responses and foreign signatures).
 */
class GeminiSdkEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOL = "get_weather";
    private static final String THOUGHT = "The user wants the weather; Paris is sunny.";
    /** Base64, as Anthropic's are: the Gemini SDK holds a signature as bytes, so it must decode. */
    private static final String ANTHROPIC_SIGNATURE = Base64.getEncoder().encodeToString(
            "anthropic thinking signature 0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    /** The smallest PNG there is: a 1x1 transparent pixel. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    /** Which credential serves the SDK's model: the Gemini one as it is, or another provider's, translated. */
    enum Route {
        NATIVE("gemini-2.5-flash"), OPENAI("via-openai"), ANTHROPIC("via-anthropic");

        final String model;

        Route(String model) {
            this.model = model;
        }
    }

    private static FakeUpstream gemini;
    private static FakeUpstream openAi;
    private static FakeUpstream anthropic;
    private static TestGateway gateway;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        gemini = FakeUpstream.gemini();
        openAi = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .rawCredential(geminiCredential("gemini", gemini, "[gemini-2.5-flash]"))
                .credential("openai", openAi, "[{name: via-openai, upstream: gpt-4o-mini}]")
                .credential("anthropic", anthropic, "[{name: via-anthropic, upstream: claude-sonnet-4-5-20250929}]")
                .start();
        client = GeminiSdk.client(gateway);
    }

    /** A credential of kind {@code gemini}: the fake's root URL, as Google's SDKs take theirs. */
    static String geminiCredential(String name, FakeUpstream upstream, String models) {
        return "  - name: " + name + "\n"
                + "    kind: gemini\n"
                + "    base-url: " + upstream.baseUrl() + "\n"
                + "    api-key: " + upstream.apiKey() + "\n"
                + "    models: " + models + "\n";
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        TestGateway.closeAll(gateway, gemini, openAi, anthropic);
    }

    @BeforeEach
    void settle() throws InterruptedException {
        gateway.awaitLeasesBalanced(java.time.Duration.ofSeconds(3));
    }

    /** Replies a failed test left queued cannot answer the next test's requests. */
    @AfterEach
    void discardUnusedReplies() {
        gemini.discardPendingReplies();
        openAi.discardPendingReplies();
        anthropic.discardPendingReplies();
    }

    private static FakeUpstream upstream(Route route) {
        return switch (route) {
            case NATIVE -> gemini;
            case OPENAI -> openAi;
            case ANTHROPIC -> anthropic;
        };
    }

    // ---- the scenarios -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Route.class)
    void generateContent(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        up.enqueue(Reply.text("Hello there, caller."));
        int before = up.requestCount();

        GenerateContentResponse response = client.models.generateContent(route.model, "Say hello", null);

        assertEquals("Hello there, caller.", response.text());
        assertEquals("STOP", response.finishReason().toString());
        GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
        assertTrue(usage.promptTokenCount().orElseThrow() > 0, usage.toString());
        assertTrue(usage.candidatesTokenCount().orElseThrow() > 0, usage.toString());
        assertEquals(usage.promptTokenCount().orElseThrow() + usage.candidatesTokenCount().orElseThrow(),
                usage.totalTokenCount().orElseThrow());
        assertEquals(before + 1, up.requestCount());
        assertUserText(route, up.lastRequest(), "Say hello");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void generateContentStream(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        up.enqueue(Reply.text("one two three four"));

        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (ResponseStream<GenerateContentResponse> stream =
                     client.models.generateContentStream(route.model, "Count to four", null)) {
            stream.forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.text() == null ? "" : chunk.text()));
        assertEquals("one two three four", text.toString());
        assertTrue(chunks.size() >= 2, "streamed in pieces: " + chunks.size());
        GenerateContentResponse last = chunks.get(chunks.size() - 1);
        assertEquals("STOP", last.finishReason().toString());
        assertTrue(last.usageMetadata().orElseThrow().totalTokenCount().orElseThrow() > 0);
        RecordedRequest received = up.lastRequest();
        assertUserText(route, received, "Count to four");
        if (route == Route.NATIVE) {
            assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", received.path());
            assertEquals("alt=sse", received.query());
        } else {
            assertTrue(received.json().path("stream").asBoolean(), received.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void countTokens(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        int before = up.requestCount();

        CountTokensResponse counted = client.models.countTokens(route.model, "How many tokens is this?", null);

        int total = counted.totalTokens().orElseThrow();
        assertTrue(total > 0, counted.toString());
        if (route == Route.NATIVE) {
            RecordedRequest received = up.lastRequest();
            assertEquals("/v1beta/models/gemini-2.5-flash:countTokens", received.path());
            assertEquals(FakeUpstream.estimateTokens(received.body()), total, "the upstream's own count");
        } else if (route == Route.ANTHROPIC && up.requestCount() > before) {
            assertEquals("/v1/messages/count_tokens", up.lastRequest().path());
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void functionCallingRoundTrip(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        up.enqueue(Reply.toolCall(TOOL, "{\"city\":\"Paris\"}")).enqueue(Reply.text("It is sunny in Paris."));
        GenerateContentConfig config = GenerateContentConfig.builder().tools(weatherTool()).build();
        Content question = Content.builder().role("user").parts(Part.fromText("Weather in Paris?")).build();

        GenerateContentResponse first = client.models.generateContent(route.model, List.of(question), config);

        assertEquals(1, first.functionCalls().size(), first.toString());
        FunctionCall call = first.functionCalls().get(0);
        assertEquals(TOOL, call.name().orElseThrow());
        assertEquals(Map.of("city", "Paris"), call.args().orElseThrow());
        Content modelTurn = first.candidates().orElseThrow().get(0).content().orElseThrow();
        FunctionResponse.Builder response = FunctionResponse.builder().name(TOOL)
                .response(Map.of("output", "sunny, 24 C"));
        call.id().ifPresent(response::id);
        Part answerPart = Part.builder().functionResponse(response.build()).build();
        Content answer = Content.builder().role("user").parts(answerPart).build();

        GenerateContentResponse second = client.models.generateContent(route.model,
                List.of(question, modelTurn, answer), config);

        assertEquals("It is sunny in Paris.", second.text());
        JsonNode received = up.lastRequest().json();
        switch (route) {
            case NATIVE -> {
                JsonNode contents = received.get("contents");
                assertEquals(3, contents.size(), received.toString());
                JsonNode callPart = contents.get(1).at("/parts/0");
                assertEquals(TOOL, callPart.at("/functionCall/name").asText());
                byte[] issued = modelTurn.parts().orElseThrow().get(0).thoughtSignature().orElseThrow();
                assertEquals(Base64.getEncoder().encodeToString(issued), callPart.path("thoughtSignature").asText(),
                        "the call's signature goes back with it: " + callPart);
                assertEquals(TOOL, contents.get(2).at("/parts/0/functionResponse/name").asText());
                assertEquals("sunny, 24 C", contents.get(2).at("/parts/0/functionResponse/response/output").asText());
            }
            case OPENAI -> {
                JsonNode messages = received.get("messages");
                JsonNode assistant = messages.get(messages.size() - 2);
                JsonNode toolCall = assistant.at("/tool_calls/0");
                assertEquals(TOOL, toolCall.at("/function/name").asText());
                assertEquals("Paris", JSON.readTree(toolCall.at("/function/arguments").asText()).get("city").asText());
                JsonNode tool = messages.get(messages.size() - 1);
                assertEquals("tool", tool.get("role").asText());
                assertEquals(toolCall.get("id").asText(), tool.get("tool_call_id").asText());
                assertTrue(tool.toString().contains("sunny, 24 C"), tool.toString());
            }
            case ANTHROPIC -> {
                JsonNode messages = received.get("messages");
                JsonNode toolUse = messages.get(messages.size() - 2).at("/content/0");
                assertEquals("tool_use", toolUse.get("type").asText(), messages.toString());
                assertEquals(TOOL, toolUse.get("name").asText());
                JsonNode toolResult = messages.get(messages.size() - 1).at("/content/0");
                assertEquals("tool_result", toolResult.get("type").asText());
                assertEquals(toolUse.get("id").asText(), toolResult.get("tool_use_id").asText());
                assertTrue(toolResult.toString().contains("sunny, 24 C"), toolResult.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void inlineImage(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        up.enqueue(Reply.text("A transparent pixel."));
        Content question = Content.builder().role("user")
                .parts(Part.fromBytes(PNG, "image/png"), Part.fromText("What is in this image?")).build();

        GenerateContentResponse response = client.models.generateContent(route.model, List.of(question), null);

        assertEquals("A transparent pixel.", response.text());
        JsonNode received = up.lastRequest().json();
        String base64 = Base64.getEncoder().encodeToString(PNG);
        switch (route) {
            case NATIVE -> {
                JsonNode image = received.at("/contents/0/parts/0/inlineData");
                assertEquals("image/png", image.get("mimeType").asText());
                assertArrayEquals(PNG, Base64.getDecoder().decode(image.get("data").asText()));
            }
            case OPENAI -> assertTrue(received.at("/messages").toString()
                    .contains("data:image/png;base64," + base64), received.toString());
            case ANTHROPIC -> {
                JsonNode source = null;
                for (JsonNode block : received.at("/messages/0/content")) {
                    if ("image".equals(block.path("type").asText())) {
                        source = block.get("source");
                    }
                }
                assertTrue(source != null, received.toString());
                assertEquals("base64", source.get("type").asText());
                assertEquals("image/png", source.get("media_type").asText());
                assertEquals(base64, source.get("data").asText());
            }
        }
    }

    /**
     * Thinking: the SDK asks for thoughts, sees them as thought parts with the answer, and sends the model turn back
     * on the next turn; the upstream gets back what it made: Gemini its signature, Anthropic its signed thinking
     * block, the Chat upstream a conversation it accepts.
     */
    @ParameterizedTest
    @EnumSource(Route.class)
    void thinkingWithSignaturesEchoedBack(Route route) throws Exception {
        FakeUpstream up = upstream(route);
        switch (route) {
            case NATIVE -> up.enqueue(Reply.text("Sunny in Paris."));
            case OPENAI -> up.enqueue(chatReasoningAnswer());
            case ANTHROPIC -> up.enqueue(anthropicThinkingAnswer());
        }
        up.enqueue(Reply.text("You are welcome."));
        GenerateContentConfig config = GenerateContentConfig.builder()
                .thinkingConfig(ThinkingConfig.builder().includeThoughts(true).thinkingBudget(1024).build()).build();
        Content question = Content.builder().role("user").parts(Part.fromText("Weather in Paris?")).build();

        GenerateContentResponse first = client.models.generateContent(route.model, List.of(question), config);

        Candidate candidate = first.candidates().orElseThrow().get(0);
        List<Part> parts = candidate.content().orElseThrow().parts().orElseThrow();
        Part thought = parts.stream().filter(p -> p.thought().orElse(false)).findFirst()
                .orElseThrow(() -> new AssertionError("no thought part: " + parts));
        if (route == Route.NATIVE) {
            assertFalse(thought.text().orElseThrow().isEmpty());
        } else {
            assertEquals(THOUGHT, thought.text().orElseThrow());
        }
        assertEquals("Sunny in Paris.", first.text(), "the answer's text leaves the thoughts out");
        byte[] signature = parts.stream().map(p -> p.thoughtSignature().orElse(null))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (route != Route.OPENAI) {
            assertTrue(signature != null, "a signature for the caller to send back: " + parts);
        }
        if (route == Route.NATIVE) {
            assertTrue(first.usageMetadata().orElseThrow().thoughtsTokenCount().orElseThrow() > 0);
        }
        Content followUp = Content.builder().role("user").parts(Part.fromText("Thanks!")).build();

        GenerateContentResponse second = client.models.generateContent(route.model,
                List.of(question, candidate.content().orElseThrow(), followUp), config);

        assertEquals("You are welcome.", second.text());
        JsonNode received = up.lastRequest().json();
        switch (route) {
            case NATIVE -> {
                String sent = Base64.getEncoder().encodeToString(signature);
                assertTrue(received.at("/contents/1").toString().contains(sent),
                        "Gemini gets its signature back: " + received.at("/contents/1"));
                assertTrue(received.at("/contents/1/parts/0/thought").asBoolean(), received.toString());
            }
            case ANTHROPIC -> {
                JsonNode assistant = received.at("/messages/1/content/0");
                assertEquals("thinking", assistant.get("type").asText(), received.toString());
                assertEquals(THOUGHT, assistant.get("thinking").asText());
                assertEquals(ANTHROPIC_SIGNATURE, assistant.get("signature").asText());
            }
            case OPENAI -> {
                JsonNode assistant = received.at("/messages/1");
                assertEquals("assistant", assistant.get("role").asText(), received.toString());
                assertEquals("Sunny in Paris.", assistant.get("content").asText());
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Tool weatherTool() {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string", "description", "The city")),
                "required", List.of("city"));
        return Tool.builder().functionDeclarations(FunctionDeclaration.builder().name(TOOL)
                .description("The current weather in a city").parametersJsonSchema(schema).build()).build();
    }

    /** The caller's text reached the upstream as its provider's user turn. */
    private static void assertUserText(Route route, RecordedRequest received, String text) {
        JsonNode body = received.json();
        switch (route) {
            case NATIVE -> {
                assertEquals("user", body.at("/contents/0/role").asText(), body.toString());
                assertEquals(text, body.at("/contents/0/parts/0/text").asText());
                assertFalse(body.has("model") || body.has("stream"), "the path names them: " + body);
                assertEquals(gemini.apiKey(), received.header("x-goog-api-key"), "the credential's key, not ours");
            }
            case OPENAI -> {
                assertEquals("gpt-4o-mini", body.get("model").asText());
                JsonNode user = body.get("messages").get(body.get("messages").size() - 1);
                assertEquals("user", user.get("role").asText());
                assertTrue(user.get("content").toString().contains(text), user.toString());
            }
            case ANTHROPIC -> {
                assertEquals("claude-sonnet-4-5-20250929", body.get("model").asText());
                JsonNode user = body.get("messages").get(0);
                assertEquals("user", user.get("role").asText());
                assertTrue(user.get("content").toString().contains(text), user.toString());
            }
        }
    }

    /** A 200 with exactly this body (the fake's verbatim reply). */
    private static Reply verbatim(String body) {
        return Reply.error(200, body, Map.of("content-type", "application/json"));
    }

    /** A Chat Completions answer carrying {@code reasoning_content}, as DeepSeek-style upstreams answer. */
    private static Reply chatReasoningAnswer() throws Exception {
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-think").put("object", "chat.completion")
                .put("created", 1_760_000_000L).put("model", "gpt-4o-mini");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", "Sunny in Paris.")
                .put("reasoning_content", THOUGHT).putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode usage = completion.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 30)
                .put("total_tokens", 50);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 12);
        return verbatim(JSON.writeValueAsString(completion));
    }

    /** An Anthropic answer with a signed thinking block before the text. */
    private static Reply anthropicThinkingAnswer() throws Exception {
        ArrayNode content = JSON.createArrayNode();
        content.addObject().put("type", "thinking").put("thinking", THOUGHT).put("signature", ANTHROPIC_SIGNATURE);
        content.addObject().put("type", "text").put("text", "Sunny in Paris.");
        ObjectNode message = JSON.createObjectNode().put("id", "msg_01Thinking").put("type", "message")
                .put("role", "assistant").put("model", "claude-sonnet-4-5-20250929");
        message.set("content", content);
        message.put("stop_reason", "end_turn");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 30).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", 40);
        return verbatim(JSON.writeValueAsString(message));
    }
}
