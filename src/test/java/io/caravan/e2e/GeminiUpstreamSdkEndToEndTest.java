package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.types.GenerateContentResponse;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, the other way round: openai-java and anthropic-java calling a model only a Gemini credential serves, so
 * the gateway translates their requests to Gemini's and Gemini's answers back, streaming and not, tools included; the
 * Gemini fake refuses what Google refuses (unknown fields, unpaired function responses, on Gemini 3 a call of the
 * current turn without a thought signature). And a Gemini 429 that says its retryDelay moves the request to the next
 * credential and cools the first for that delay.
 */
class GeminiUpstreamSdkEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "caravan-test-admin-key-for-gemini-0123456";
    private static final String FLASH = "gemini-2.5-flash";
    /** Gemini 3 refuses a call of the current turn that comes back without its signature. */
    private static final String GEMINI_3 = "gemini-3-pro-preview";
    private static final String ROTATING = "gemini-rotating";
    private static final String TOOL = "get_weather";
    private static final String SYSTEM = "Answer in one sentence.";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String TOOL_OUTPUT = "sunny, 24 C";
    private static final String SKIP_SIGNATURE_CHECK = "skip_thought_signature_validator";

    private static FakeUpstream gemini;
    private static FakeUpstream limited;
    private static FakeUpstream spare;
    private static TestGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;
    private static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        gemini = FakeUpstream.gemini();
        limited = FakeUpstream.gemini();
        spare = FakeUpstream.gemini();
        gateway = TestGateway.builder()
                .rawCredential(GeminiSdkEndToEndTest.geminiCredential("gemini", gemini, "[" + FLASH + ", " + GEMINI_3
                        + "]"))
                .rawCredential(GeminiSdkEndToEndTest.geminiCredential("limited", limited,
                        "[{name: " + ROTATING + ", upstream: " + FLASH + "}]"))
                .rawCredential(GeminiSdkEndToEndTest.geminiCredential("spare", spare,
                        "[{name: " + ROTATING + ", upstream: " + FLASH + "}]"))
                .set("caravan.admin-keys", ADMIN)
                .start();
        openAi = gateway.openAiClient();
        anthropic = gateway.anthropicSdkClient(TestGateway.CLIENT_KEY);
        admin = new AdminApi(gateway, ADMIN);
    }

    @AfterAll
    static void stop() throws Exception {
        openAi.close();
        TestGateway.closeAll(gateway, gemini, limited, spare);
    }

    @BeforeEach
    void settle() throws InterruptedException {
        gateway.awaitLeasesBalanced(Duration.ofSeconds(3));
    }

    @AfterEach
    void discardUnusedReplies() {
        gemini.discardPendingReplies();
        limited.discardPendingReplies();
        spare.discardPendingReplies();
    }

    // ---- openai-java --------------------------------------------------------------------------------------------

    private static ChatCompletionFunctionTool openAiWeatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name(TOOL).description("Current weather for a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                        .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                                Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    private static ChatCompletionCreateParams.Builder openAiRequest(String model, boolean tools) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(model)
                .addSystemMessage(SYSTEM).addUserMessage(QUESTION);
        return tools ? b.addTool(openAiWeatherTool()) : b;
    }

    @Test
    void openAiChat() throws Exception {
        gemini.enqueue(Reply.text("Sunny in Paris."));

        ChatCompletion completion = openAi.chat().completions().create(openAiRequest(FLASH, false).build());

        assertEquals("Sunny in Paris.", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        RecordedRequest received = gemini.lastRequest();
        assertEquals("/v1beta/models/" + FLASH + ":generateContent", received.path());
        assertGeminiShaped(received);
        long prompt = completion.usage().orElseThrow().promptTokens();
        assertEquals(FakeUpstream.estimateTokens(received.body()), prompt, "Gemini's promptTokenCount");
    }

    @Test
    void openAiChatStream() throws Exception {
        gemini.enqueue(Reply.text("Sunny and mild in Paris.").paced(Duration.ofMillis(5)));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (var stream = openAi.chat().completions().createStreaming(openAiRequest(FLASH, false)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion completion = accumulator.chatCompletion();
        assertEquals("Sunny and mild in Paris.", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertTrue(completion.usage().orElseThrow().completionTokens() > 0, "the usage chunk");
        RecordedRequest received = gemini.lastRequest();
        assertEquals("/v1beta/models/" + FLASH + ":streamGenerateContent", received.path());
        assertEquals("alt=sse", received.query());
        assertGeminiShaped(received);
    }

    /** Gemini 3 takes the second turn only if the call goes back with a signature: its own, or Google's dummy. */
    @Test
    void openAiToolRoundTripStreamThenNot() throws Exception {
        gemini.enqueue(Reply.toolCall(TOOL, "{\"city\":\"Paris\"}")).enqueue(Reply.text("It is sunny in Paris."));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (var stream = openAi.chat().completions().createStreaming(openAiRequest(GEMINI_3, true).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion first = accumulator.chatCompletion();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());
        ChatCompletionMessage assistant = first.choices().get(0).message();
        ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().get(0).function()
                .orElseThrow();
        assertEquals(TOOL, call.function().name());
        assertEquals("Paris", JSON.readTree(call.function().arguments()).get("city").asText());
        assertGeminiTool(gemini.lastRequest().json());

        ChatCompletion second = openAi.chat().completions().create(openAiRequest(GEMINI_3, true)
                .addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(TOOL_OUTPUT).build())
                .build());

        assertEquals("It is sunny in Paris.", second.choices().get(0).message().content().orElseThrow());
        assertToolRoundTripReceived(gemini.lastRequest());
    }

    // ---- anthropic-java -----------------------------------------------------------------------------------------

    private static com.anthropic.models.messages.Tool anthropicWeatherTool() {
        return com.anthropic.models.messages.Tool.builder().name(TOOL).description("Current weather for a city")
                .inputSchema(com.anthropic.models.messages.Tool.InputSchema.builder()
                        .properties(com.anthropic.models.messages.Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city",
                                        com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                .build())
                        .addRequired("city").build())
                .build();
    }

    private static MessageCreateParams.Builder anthropicRequest(String model, boolean tools) {
        MessageCreateParams.Builder b = MessageCreateParams.builder().model(model).maxTokens(256).system(SYSTEM)
                .addUserMessage(QUESTION);
        return tools ? b.addTool(anthropicWeatherTool()) : b;
    }

    @Test
    void anthropicMessages() throws Exception {
        gemini.enqueue(Reply.text("Sunny in Paris."));

        Message message = anthropic.messages().create(anthropicRequest(FLASH, false).build());

        assertEquals("Sunny in Paris.", message.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        RecordedRequest received = gemini.lastRequest();
        assertEquals("/v1beta/models/" + FLASH + ":generateContent", received.path());
        assertGeminiShaped(received);
        assertEquals(256, received.json().at("/generationConfig/maxOutputTokens").asInt(), received.body());
        assertEquals(FakeUpstream.estimateTokens(received.body()), message.usage().inputTokens());
    }

    @Test
    void anthropicMessagesStream() throws Exception {
        gemini.enqueue(Reply.text("Sunny and mild in Paris.").paced(Duration.ofMillis(5)));
        MessageAccumulator accumulator = MessageAccumulator.create();

        try (StreamResponse<RawMessageStreamEvent> stream =
                     anthropic.messages().createStreaming(anthropicRequest(FLASH, false).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        assertEquals("Sunny and mild in Paris.", message.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertTrue(message.usage().outputTokens() > 0);
        RecordedRequest received = gemini.lastRequest();
        assertEquals("/v1beta/models/" + FLASH + ":streamGenerateContent", received.path());
        assertEquals("alt=sse", received.query());
        assertGeminiShaped(received);
    }

    @Test
    void anthropicToolRoundTripNotThenStream() throws Exception {
        gemini.enqueue(Reply.toolCall(TOOL, "{\"city\":\"Paris\"}"))
                .enqueue(Reply.text("It is sunny in Paris.").paced(Duration.ofMillis(5)));
        Message first = anthropic.messages().create(anthropicRequest(GEMINI_3, true).build());
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        ToolUseBlock toolUse = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertEquals(TOOL, toolUse.name());
        assertEquals(Map.of("city", "Paris"), toolUse._input().convert(Map.class));
        assertGeminiTool(gemini.lastRequest().json());

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
                anthropicRequest(GEMINI_3, true).addMessage(first.toParam())
                        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder().toolUseId(toolUse.id()).content(TOOL_OUTPUT).build())))
                        .build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertEquals("It is sunny in Paris.", accumulator.message().content().get(0).text().orElseThrow().text());
        assertToolRoundTripReceived(gemini.lastRequest());
    }

    // ---- rotation -------------------------------------------------------------------------------------------------

    /**
     * Google says how long to wait only in the body ({@code RetryInfo.retryDelay}, no {@code retry-after}): the
     * gateway must read it there, cool that credential for as long, and serve the caller from the next one.
     */
    @Test
    void geminiRetryDelayRotatesAndCoolsTheCredentialForThatLong() throws Exception {
        limited.enqueue(Reply.rateLimited(45));
        try (Client sdk = GeminiSdk.client(gateway)) {
            GenerateContentResponse answer = null;
            for (int attempt = 0; attempt < 3 && limited.requestCount() == 0; attempt++) {
                Instant before = Instant.now();
                answer = sdk.models.generateContent(ROTATING, "Say hello", null);
                if (limited.requestCount() == 1) {
                    assertEquals("Hello from " + spare.name(), answer.text(), "the 429 moved on to the spare");
                    JsonNode cooling = admin.credential("limited");
                    assertEquals("cooling", cooling.get("state").asText(), cooling.toString());
                    Instant until = Instant.parse(cooling.get("cooling_until").asText());
                    assertTrue(until.isAfter(before.plusSeconds(40)) && until.isBefore(Instant.now().plusSeconds(50)),
                            "cools for the retryDelay: " + cooling);
                    assertEquals(429, cooling.at("/last_error/status").asInt(), cooling.toString());
                }
            }
            assertEquals(1, limited.requestCount(), "the rate-limited credential was tried");
            assertTrue(admin.credential("spare").get("cooling_until").isNull(), "the spare is untouched");
            assertFalse(answer == null, "an answer came");
        } finally {
            admin.post("/admin/v1/credentials/limited/reset");
        }
    }

    // ---- what the Gemini fake received --------------------------------------------------------------------------

    /** The system prompt as systemInstruction, the question as the user's first content, nothing Gemini lacks. */
    private static void assertGeminiShaped(RecordedRequest received) {
        JsonNode body = received.json();
        assertEquals(SYSTEM, body.at("/systemInstruction/parts/0/text").asText(), body.toString());
        assertEquals("user", body.at("/contents/0/role").asText(), body.toString());
        assertEquals(QUESTION, body.at("/contents/0/parts/0/text").asText(), body.toString());
        assertFalse(body.has("model") || body.has("stream"), "the path names them: " + body);
        assertEquals(gemini.apiKey(), received.header("x-goog-api-key"));
    }

    private static void assertGeminiTool(JsonNode body) {
        JsonNode declaration = body.at("/tools/0/functionDeclarations/0");
        assertEquals(TOOL, declaration.get("name").asText(), body.toString());
        JsonNode schema = declaration.has("parametersJsonSchema") ? declaration.get("parametersJsonSchema")
                : declaration.get("parameters");
        assertEquals("string", schema.at("/properties/city/type").asText().toLowerCase(), declaration.toString());
    }

    /** The call went back with a signature Gemini accepts, and its answer as the call's functionResponse. */
    private static void assertToolRoundTripReceived(RecordedRequest received) {
        JsonNode contents = received.json().get("contents");
        assertEquals("/v1beta/models/" + GEMINI_3 + (received.path().endsWith("streamGenerateContent")
                ? ":streamGenerateContent" : ":generateContent"), received.path());
        assertEquals(3, contents.size(), contents.toString());
        JsonNode callPart = contents.get(1).at("/parts/0");
        assertEquals("model", contents.get(1).get("role").asText());
        assertEquals(TOOL, callPart.at("/functionCall/name").asText(), contents.toString());
        assertEquals("Paris", callPart.at("/functionCall/args/city").asText());
        assertTrue(callPart.path("thoughtSignature").isTextual(), "Gemini 3 wants a signature: " + callPart);
        JsonNode response = contents.get(2).at("/parts/0/functionResponse");
        assertEquals("user", contents.get(2).get("role").asText());
        assertEquals(TOOL, response.get("name").asText(), contents.toString());
        assertTrue(response.get("response").toString().contains(TOOL_OUTPUT), response.toString());
        if (SKIP_SIGNATURE_CHECK.equals(callPart.get("thoughtSignature").asText())) {
            return;
        }
        assertFalse(callPart.get("thoughtSignature").asText().startsWith("gemini."),
                "the provenance prefix is Caravan's, never Google's: " + callPart);
    }
}
