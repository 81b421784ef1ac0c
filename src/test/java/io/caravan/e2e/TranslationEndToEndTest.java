package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawContentBlockStartEvent;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 end to end: each official SDK calling a model that only a credential of the other dialect serves, through
 * the booted gateway, streaming and not, for plain text, a tool call and a tool-result round trip. The fake upstreams
 * validate requests like the real APIs, so a translation bug answers 400; on top of that every test checks the shape
 * of the request the upstream received in its own dialect and that the SDK parses (and validates) what came back.
 */
class TranslationEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GPT = "gpt-t";
    private static final String CLAUDE = "claude-t";
    private static final String SYSTEM = "You are a terse weather assistant.";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String TOOL = "get_weather";
    private static final String ARGUMENTS = "{\"city\":\"Paris\"}";
    private static final String TOOL_OUTPUT = "sunny, 21 degrees";
    private static final Map<String, Object> EXPECTED_INPUT = Map.of("city", "Paris");

    /** Every top-level field the Messages API accepts (the fake's allow-list, without beta fields). */
    private static final Set<String> ANTHROPIC_FIELDS = Set.of(
            "model", "messages", "max_tokens", "cache_control", "container", "diagnostics", "inference_geo",
            "metadata", "output_config", "service_tier", "speed", "stop_sequences", "stream", "system",
            "temperature", "thinking", "tool_choice", "tools", "top_k", "top_p");

    /** Parameters only Chat Completions has: none may reach an Anthropic upstream. */
    private static final Set<String> OPENAI_ONLY_FIELDS = Set.of(
            "n", "seed", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs", "logit_bias",
            "response_format", "stream_options", "max_completion_tokens", "parallel_tool_calls", "user", "store",
            "reasoning_effort", "stop", "modalities", "audio", "prediction");

    /** Parameters only the Messages API has: none may reach an OpenAI upstream. */
    private static final Set<String> ANTHROPIC_ONLY_FIELDS = Set.of(
            "system", "stop_sequences", "top_k", "thinking", "container", "cache_control", "inference_geo", "speed",
            "output_config", "diagnostics");

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai-t", openAiUpstream, "[" + GPT + "]")
                .credential("anthropic-t", anthropicUpstream, "[" + CLAUDE + "]")
                .start();
        openAi = openAiClient(gateway);
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(TestGateway.CLIENT_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(openAi, anthropic, gateway, openAiUpstream, anthropicUpstream);
    }

    /**
     * A test that fails before the gateway reaches the fake leaves its scripted replies queued; they are used up here
     * (straight at the fake, not through the gateway) so they cannot answer the next test's requests.
     */
    @AfterEach
    void discardUnusedReplies() {
        openAiUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
    }

    private static OpenAIClient openAiClient(TestGateway target) {
        return target.openAiClient();
    }

    // =================================================================================================================
    // openai-java SDK calling "claude-t": translated to the Anthropic upstream
    // =================================================================================================================

    private static ChatCompletionFunctionTool openAiWeatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name(TOOL)
                        .description("Current weather for a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                                        Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
    }

    /** A system message, a question, the weather tool; {@code stream} adds {@code stream_options.include_usage}. */
    private static ChatCompletionCreateParams.Builder openAiToolRequest(boolean stream) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                .model(CLAUDE)
                .addSystemMessage(SYSTEM)
                .addUserMessage(QUESTION)
                .addTool(openAiWeatherTool());
        if (stream) {
            b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        return b;
    }

    @Test
    void openAiSdkPlainTextFromAnthropicUpstream() throws Exception {
        anthropicUpstream.enqueue(Reply.text("Sunny and mild in Paris."));
        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CLAUDE)
                .addSystemMessage(SYSTEM)
                .addUserMessage(QUESTION)
                // OpenAI-only parameters the gateway must drop, not forward to be rejected
                .n(1)
                .seed(7)
                .frequencyPenalty(0.1)
                .presencePenalty(0.1)
                .maxCompletionTokens(100)
                .build());
        completion.validate();

        assertEquals(CLAUDE, completion.model());
        assertEquals(1, completion.choices().size());
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals("Sunny and mild in Paris.", choice.message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
        CompletionUsage usage = completion.usage().orElseThrow();
        assertTrue(usage.promptTokens() > 0, usage.toString());
        assertTrue(usage.completionTokens() > 0, usage.toString());
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens(), usage.toString());

        RecordedRequest upstream = anthropicUpstream.lastRequest();
        JsonNode body = upstream.json();
        assertEquals("/v1/messages", upstream.path(), upstream.toString());
        assertEquals(CLAUDE, body.path("model").asText(), body.toString());
        assertFalse(body.path("stream").asBoolean(false), body.toString());
        assertEquals(100, body.path("max_tokens").asInt(), "max_completion_tokens becomes max_tokens: " + body);
        assertAnthropicShaped(body);
        assertEquals(SYSTEM, systemText(body), "the system message becomes the top-level system: " + body);
        JsonNode messages = body.path("messages");
        assertEquals(1, messages.size(), body.toString());
        assertEquals("user", messages.get(0).path("role").asText(), body.toString());
        assertEquals(QUESTION, textOf(messages.get(0).path("content")), body.toString());
    }

    @Test
    void openAiSdkPlainTextStreamFromAnthropicUpstream() {
        anthropicUpstream.enqueue(Reply.text("Sunny and mild in Paris.").paced(Duration.ofMillis(5)));
        OpenAiStream stream = openAiStream(ChatCompletionCreateParams.builder()
                .model(CLAUDE)
                .addSystemMessage(SYSTEM)
                .addUserMessage(QUESTION)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());

        assertEquals("Sunny and mild in Paris.", stream.text.toString());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), stream.finishReasons);
        stream.assertUsageChunkLast();
        ChatCompletion accumulated = stream.accumulator.chatCompletion();
        assertEquals("Sunny and mild in Paris.", accumulated.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, accumulated.choices().get(0).finishReason());

        JsonNode body = anthropicUpstream.lastRequest().json();
        assertTrue(body.path("stream").asBoolean(false), "the upstream request streams: " + body);
        assertTrue(body.path("max_tokens").isIntegralNumber() && body.path("max_tokens").asLong() > 0,
                "a default max_tokens is supplied: " + body);
        assertAnthropicShaped(body);
        assertEquals(SYSTEM, systemText(body), body.toString());
    }

    @Test
    void openAiSdkToolCallFromAnthropicUpstream() throws Exception {
        anthropicUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));
        ChatCompletion completion = openAi.chat().completions().create(openAiToolRequest(false).build());
        completion.validate();

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertEquals(1, calls.size(), calls.toString());
        ChatCompletionMessageFunctionToolCall call = calls.get(0).function().orElseThrow();
        assertFalse(call.id().isBlank(), "the call has an id");
        assertEquals(TOOL, call.function().name());
        assertEquals(EXPECTED_INPUT, parseObject(call.function().arguments()));
        assertTrue(completion.usage().orElseThrow().completionTokens() > 0);

        JsonNode body = anthropicUpstream.lastRequest().json();
        assertAnthropicShaped(body);
        assertTrue(body.path("max_tokens").asLong() > 0, "Anthropic requires max_tokens: " + body);
        assertEquals(SYSTEM, systemText(body), body.toString());
        assertAnthropicWeatherTool(body);
    }

    @Test
    void openAiSdkToolCallStreamFromAnthropicUpstream() throws Exception {
        anthropicUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS).paced(Duration.ofMillis(5)));
        OpenAiStream stream = openAiStream(openAiToolRequest(true).build());

        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS), stream.finishReasons);
        assertEquals(Set.of(0L), stream.toolCallIds.keySet(), "one tool call, index 0: " + stream.toolCallIds);
        assertEquals(1, stream.toolCallIdMentions, "the id is sent once, on the call's first delta");
        assertFalse(stream.toolCallIds.get(0L).isBlank());
        assertEquals(TOOL, stream.toolNames.get(0L).toString());
        assertEquals(EXPECTED_INPUT, parseObject(stream.toolArguments.get(0L).toString()));
        stream.assertUsageChunkLast();

        ChatCompletion accumulated = stream.accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = accumulated.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).function().orElseThrow();
        assertEquals(stream.toolCallIds.get(0L), call.id());
        assertEquals(EXPECTED_INPUT, parseObject(call.function().arguments()));

        JsonNode body = anthropicUpstream.lastRequest().json();
        assertTrue(body.path("stream").asBoolean(false), body.toString());
        assertAnthropicShaped(body);
        assertTrue(body.path("max_tokens").asLong() > 0, body.toString());
        assertAnthropicWeatherTool(body);
    }

    @Test
    void openAiSdkToolResultRoundTripThroughAnthropicUpstream() throws Exception {
        anthropicUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));
        ChatCompletion first = openAi.chat().completions().create(openAiToolRequest(false).build());
        ChatCompletionMessage assistant = first.choices().get(0).message();
        String callId = assistant.toolCalls().orElseThrow().get(0).function().orElseThrow().id();

        anthropicUpstream.enqueue(Reply.text("It is sunny in Paris."));
        ChatCompletion second = openAi.chat().completions().create(openAiToolRequest(false)
                .addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content(TOOL_OUTPUT).build())
                .build());
        second.validate();
        assertEquals("It is sunny in Paris.", second.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, second.choices().get(0).finishReason());

        assertAnthropicToolResultRequest(anthropicUpstream.lastRequest().json(), callId);
    }

    @Test
    void openAiSdkToolResultRoundTripStreamThroughAnthropicUpstream() throws Exception {
        anthropicUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS).paced(Duration.ofMillis(5)));
        OpenAiStream first = openAiStream(openAiToolRequest(true).build());
        ChatCompletionMessage assistant = first.accumulator.chatCompletion().choices().get(0).message();
        String callId = first.toolCallIds.get(0L);
        assertNotNull(callId, "the streamed tool call has an id");

        anthropicUpstream.enqueue(Reply.text("It is sunny in Paris.").paced(Duration.ofMillis(5)));
        OpenAiStream second = openAiStream(openAiToolRequest(true)
                .addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content(TOOL_OUTPUT).build())
                .build());
        assertEquals("It is sunny in Paris.", second.text.toString());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), second.finishReasons);
        second.assertUsageChunkLast();

        JsonNode body = anthropicUpstream.lastRequest().json();
        assertTrue(body.path("stream").asBoolean(false), body.toString());
        assertAnthropicToolResultRequest(body, callId);
    }

    private static void assertAnthropicShaped(JsonNode body) {
        List<String> fields = fieldNames(body);
        for (String field : fields) {
            assertTrue(ANTHROPIC_FIELDS.contains(field), "field " + field + " is not a Messages API field: " + body);
            assertFalse(OPENAI_ONLY_FIELDS.contains(field), "OpenAI-only field " + field + " reached Anthropic: " + body);
        }
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asText();
            assertTrue(role.equals("user") || role.equals("assistant"), "role " + role + " in Anthropic messages: " + body);
        }
    }

    private static void assertAnthropicWeatherTool(JsonNode body) {
        JsonNode tools = body.path("tools");
        assertEquals(1, tools.size(), body.toString());
        JsonNode tool = tools.get(0);
        assertEquals(TOOL, tool.path("name").asText(), tool.toString());
        assertFalse(tool.has("function"), "no OpenAI function wrapper: " + tool);
        assertFalse(tool.has("parameters"), "parameters become input_schema: " + tool);
        assertEquals("object", tool.path("input_schema").path("type").asText(), tool.toString());
        assertEquals("string", tool.path("input_schema").path("properties").path("city").path("type").asText(),
                tool.toString());
        assertEquals("city", tool.path("input_schema").path("required").path(0).asText(), tool.toString());
    }

    /** user question, assistant tool_use, user tool_result answering that very id: Anthropic's shape. */
    private static void assertAnthropicToolResultRequest(JsonNode body, String callId) {
        assertAnthropicShaped(body);
        assertEquals(SYSTEM, systemText(body), body.toString());
        JsonNode messages = body.path("messages");
        assertEquals(3, messages.size(), body.toString());
        assertEquals("user", messages.get(0).path("role").asText(), body.toString());

        JsonNode assistant = messages.get(1);
        assertEquals("assistant", assistant.path("role").asText(), body.toString());
        JsonNode toolUse = null;
        for (JsonNode block : assistant.path("content")) {
            if ("tool_use".equals(block.path("type").asText())) {
                assertEquals(null, toolUse, "one tool_use block: " + assistant);
                toolUse = block;
            }
        }
        assertNotNull(toolUse, "the assistant turn carries a tool_use block: " + assistant);
        assertEquals(callId, toolUse.path("id").asText(), "the tool_use id is the caller's tool call id: " + toolUse);
        assertEquals(TOOL, toolUse.path("name").asText(), toolUse.toString());
        assertEquals(JSON.valueToTree(EXPECTED_INPUT), toolUse.path("input"), "arguments become an input object: " + toolUse);

        JsonNode user = messages.get(2);
        assertEquals("user", user.path("role").asText(), body.toString());
        assertTrue(user.path("content").isArray(), user.toString());
        JsonNode result = user.path("content").get(0);
        assertEquals("tool_result", result.path("type").asText(), user.toString());
        assertEquals(toolUse.path("id").asText(), result.path("tool_use_id").asText(),
                "the tool_result answers the tool_use: " + body);
        assertEquals(TOOL_OUTPUT, textOf(result.path("content")), result.toString());
    }

    // ---- the OpenAI SDK's stream, accumulated ----------------------------------------------------------------------

    private static final class OpenAiStream {
        final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        final List<ChatCompletionChunk> chunks = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final List<ChatCompletionChunk.Choice.FinishReason> finishReasons = new ArrayList<>();
        final Map<Long, String> toolCallIds = new TreeMap<>();
        final Map<Long, StringBuilder> toolNames = new TreeMap<>();
        final Map<Long, StringBuilder> toolArguments = new TreeMap<>();
        int toolCallIdMentions;

        void add(ChatCompletionChunk chunk) {
            chunk.validate();
            chunks.add(chunk);
            accumulator.accumulate(chunk);
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                assertEquals(0, choice.index(), chunk.toString());
                choice.delta().content().ifPresent(text::append);
                choice.finishReason().ifPresent(finishReasons::add);
                for (ChatCompletionChunk.Choice.Delta.ToolCall call : choice.delta().toolCalls().orElse(List.of())) {
                    call.id().ifPresent(id -> {
                        toolCallIdMentions++;
                        toolCallIds.put(call.index(), id);
                    });
                    call.function().ifPresent(f -> {
                        f.name().ifPresent(n -> toolNames.computeIfAbsent(call.index(), i -> new StringBuilder()).append(n));
                        f.arguments().ifPresent(a -> toolArguments.computeIfAbsent(call.index(), i -> new StringBuilder())
                                .append(a));
                    });
                }
            }
        }

        /** {@code include_usage}: the last chunk carries usage and no choices, as OpenAI sends it. */
        void assertUsageChunkLast() {
            assertFalse(chunks.isEmpty());
            List<ChatCompletionChunk> withUsage = chunks.stream().filter(c -> c.usage().isPresent()).toList();
            assertEquals(1, withUsage.size(), "exactly one usage chunk: " + chunks);
            ChatCompletionChunk last = chunks.get(chunks.size() - 1);
            assertTrue(last.usage().isPresent(), "the usage chunk comes last: " + chunks);
            assertTrue(last.choices().isEmpty(), "the usage chunk has no choices: " + last);
            CompletionUsage usage = last.usage().get();
            assertTrue(usage.promptTokens() > 0, usage.toString());
            assertTrue(usage.completionTokens() > 0, usage.toString());
            assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens(), usage.toString());
            String id = chunks.get(0).id();
            assertFalse(id.isBlank());
            assertTrue(chunks.stream().allMatch(c -> c.id().equals(id)), "every chunk shares one id");
            assertTrue(chunks.stream().allMatch(c -> c.model().equals(CLAUDE)), "chunks name the requested model");
        }
    }

    private static OpenAiStream openAiStream(ChatCompletionCreateParams params) {
        OpenAiStream result = new OpenAiStream();
        try (var stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(result::add);
        }
        return result;
    }

    // =================================================================================================================
    // anthropic-java SDK calling "gpt-t": translated to the OpenAI upstream
    // =================================================================================================================

    private static Tool anthropicWeatherTool() {
        return Tool.builder()
                .name(TOOL)
                .description("Current weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                .build())
                        .addRequired("city")
                        .build())
                .build();
    }

    private static MessageCreateParams.Builder anthropicToolRequest() {
        return MessageCreateParams.builder()
                .model(GPT)
                .maxTokens(64)
                .system(SYSTEM)
                .addUserMessage(QUESTION)
                .addTool(anthropicWeatherTool());
    }

    @Test
    void anthropicSdkPlainTextFromOpenAiUpstream() throws Exception {
        openAiUpstream.enqueue(Reply.text("Sunny and mild in Paris."));
        Message message = anthropic.messages().create(MessageCreateParams.builder()
                .model(GPT)
                .maxTokens(64)
                .system(SYSTEM)
                .addUserMessage(QUESTION)
                .stopSequences(List.of("THE END"))
                // Anthropic-only: must be dropped for OpenAI
                .putAdditionalBodyProperty("top_k", com.anthropic.core.JsonValue.from(5))
                .build());
        message.validate();

        assertEquals(GPT, message.model().asString());
        assertEquals(1, message.content().size(), message.toString());
        assertEquals("Sunny and mild in Paris.", message.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertTrue(message.usage().inputTokens() > 0, message.usage().toString());
        assertTrue(message.usage().outputTokens() > 0, message.usage().toString());

        RecordedRequest upstream = openAiUpstream.lastRequest();
        JsonNode body = upstream.json();
        assertEquals("/v1/chat/completions", upstream.path(), upstream.toString());
        assertEquals(GPT, body.path("model").asText(), body.toString());
        assertOpenAiShaped(body);
        assertFalse(body.has("stream_options"), "no stream_options without a stream: " + body);
        assertEquals(JSON.readTree("[\"THE END\"]"), body.path("stop"), "stop_sequences become stop: " + body);
        assertEquals(64, body.has("max_completion_tokens") ? body.path("max_completion_tokens").asInt()
                : body.path("max_tokens").asInt(), "the caller's limit is kept: " + body);
        JsonNode messages = body.path("messages");
        assertEquals(2, messages.size(), body.toString());
        assertEquals("system", messages.get(0).path("role").asText(), "the system prompt leads: " + body);
        assertEquals(SYSTEM, textOf(messages.get(0).path("content")), body.toString());
        assertEquals("user", messages.get(1).path("role").asText(), body.toString());
        assertEquals(QUESTION, textOf(messages.get(1).path("content")), body.toString());
    }

    @Test
    void anthropicSdkPlainTextStreamFromOpenAiUpstream() {
        openAiUpstream.enqueue(Reply.text("Sunny and mild in Paris.").paced(Duration.ofMillis(5)));
        AnthropicStream stream = anthropicStream(MessageCreateParams.builder()
                .model(GPT)
                .maxTokens(64)
                .system(SYSTEM)
                .addUserMessage(QUESTION)
                .build());

        assertEquals("Sunny and mild in Paris.", stream.text.toString());
        assertEquals(StopReason.END_TURN, stream.stopReason);
        Message accumulated = stream.accumulator.message();
        assertEquals("Sunny and mild in Paris.", accumulated.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, accumulated.stopReason().orElseThrow());
        assertTrue(accumulated.usage().outputTokens() > 0);

        JsonNode body = openAiUpstream.lastRequest().json();
        assertTrue(body.path("stream").asBoolean(false), body.toString());
        assertTrue(body.path("stream_options").path("include_usage").asBoolean(false),
                "a translated stream asks the OpenAI upstream for usage: " + body);
        assertOpenAiShaped(body);
        assertEquals("system", body.path("messages").path(0).path("role").asText(), body.toString());
    }

    @Test
    void anthropicSdkToolCallFromOpenAiUpstream() throws Exception {
        openAiUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));
        Message message = anthropic.messages().create(anthropicToolRequest().build());
        message.validate();

        assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
        List<ToolUseBlock> toolUses = message.content().stream().flatMap(b -> b.toolUse().stream()).toList();
        assertEquals(1, toolUses.size(), message.content().toString());
        ToolUseBlock toolUse = toolUses.get(0);
        assertFalse(toolUse.id().isBlank(), "the tool_use has an id");
        assertEquals(TOOL, toolUse.name());
        assertEquals(EXPECTED_INPUT, toolUse._input().convert(Map.class));
        assertTrue(message.usage().outputTokens() > 0);

        JsonNode body = openAiUpstream.lastRequest().json();
        assertOpenAiShaped(body);
        assertOpenAiWeatherTool(body);
    }

    @Test
    void anthropicSdkToolCallStreamFromOpenAiUpstream() throws Exception {
        openAiUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS).paced(Duration.ofMillis(5)));
        AnthropicStream stream = anthropicStream(anthropicToolRequest().build());

        assertEquals(StopReason.TOOL_USE, stream.stopReason);
        assertEquals(1, stream.toolUses.size(), "one tool_use block: " + stream.toolUses);
        long index = stream.toolUses.keySet().iterator().next();
        ToolUseBlock started = stream.toolUses.get(index);
        assertFalse(started.id().isBlank(), "the tool_use block starts with its id");
        assertEquals(TOOL, started.name());
        assertEquals(EXPECTED_INPUT, parseObject(stream.inputJson.get(index).toString()));

        Message accumulated = stream.accumulator.message();
        ToolUseBlock toolUse = accumulated.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertEquals(started.id(), toolUse.id());
        assertEquals(EXPECTED_INPUT, toolUse._input().convert(Map.class));

        JsonNode body = openAiUpstream.lastRequest().json();
        assertTrue(body.path("stream_options").path("include_usage").asBoolean(false), body.toString());
        assertOpenAiShaped(body);
        assertOpenAiWeatherTool(body);
    }

    @Test
    void anthropicSdkToolResultRoundTripThroughOpenAiUpstream() throws Exception {
        openAiUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));
        Message first = anthropic.messages().create(anthropicToolRequest().build());
        String toolUseId = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow().id();

        openAiUpstream.enqueue(Reply.text("It is sunny in Paris."));
        Message second = anthropic.messages().create(anthropicToolRequest()
                .addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(toolUseId).content(TOOL_OUTPUT).build())))
                .build());
        second.validate();
        assertEquals("It is sunny in Paris.", second.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, second.stopReason().orElseThrow());

        assertOpenAiToolResultRequest(openAiUpstream.lastRequest().json(), toolUseId);
    }

    @Test
    void anthropicSdkToolResultRoundTripStreamThroughOpenAiUpstream() throws Exception {
        openAiUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS).paced(Duration.ofMillis(5)));
        AnthropicStream first = anthropicStream(anthropicToolRequest().build());
        Message assistant = first.accumulator.message();
        String toolUseId = assistant.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow().id();

        openAiUpstream.enqueue(Reply.text("It is sunny in Paris.").paced(Duration.ofMillis(5)));
        AnthropicStream second = anthropicStream(anthropicToolRequest()
                .addMessage(assistant.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(toolUseId).content(TOOL_OUTPUT).build())))
                .build());
        assertEquals("It is sunny in Paris.", second.text.toString());
        assertEquals(StopReason.END_TURN, second.stopReason);

        JsonNode body = openAiUpstream.lastRequest().json();
        assertTrue(body.path("stream_options").path("include_usage").asBoolean(false), body.toString());
        assertOpenAiToolResultRequest(body, toolUseId);
    }

    private static void assertOpenAiShaped(JsonNode body) {
        for (String field : fieldNames(body)) {
            assertFalse(ANTHROPIC_ONLY_FIELDS.contains(field), "Anthropic-only field " + field + " reached OpenAI: " + body);
        }
    }

    private static void assertOpenAiWeatherTool(JsonNode body) {
        JsonNode tools = body.path("tools");
        assertEquals(1, tools.size(), body.toString());
        JsonNode tool = tools.get(0);
        assertEquals("function", tool.path("type").asText(), tool.toString());
        assertEquals(TOOL, tool.path("function").path("name").asText(), tool.toString());
        assertFalse(tool.has("input_schema"), "input_schema becomes function.parameters: " + tool);
        JsonNode parameters = tool.path("function").path("parameters");
        assertEquals("object", parameters.path("type").asText(), tool.toString());
        assertEquals("string", parameters.path("properties").path("city").path("type").asText(), tool.toString());
    }

    /** system, user question, assistant tool_calls, tool message answering that very id: OpenAI's shape. */
    private static void assertOpenAiToolResultRequest(JsonNode body, String toolUseId) throws Exception {
        assertOpenAiShaped(body);
        JsonNode messages = body.path("messages");
        assertEquals(4, messages.size(), body.toString());
        assertEquals("system", messages.get(0).path("role").asText(), body.toString());
        assertEquals("user", messages.get(1).path("role").asText(), body.toString());

        JsonNode assistant = messages.get(2);
        assertEquals("assistant", assistant.path("role").asText(), body.toString());
        JsonNode calls = assistant.path("tool_calls");
        assertEquals(1, calls.size(), assistant.toString());
        JsonNode call = calls.get(0);
        assertEquals(toolUseId, call.path("id").asText(), "the call id is the caller's tool_use id: " + call);
        assertEquals("function", call.path("type").asText(), call.toString());
        assertEquals(TOOL, call.path("function").path("name").asText(), call.toString());
        assertTrue(call.path("function").path("arguments").isTextual(), "arguments are a JSON string: " + call);
        assertEquals(EXPECTED_INPUT, parseObject(call.path("function").path("arguments").asText()));

        JsonNode tool = messages.get(3);
        assertEquals("tool", tool.path("role").asText(), body.toString());
        assertEquals(call.path("id").asText(), tool.path("tool_call_id").asText(), "the tool message answers the call: " + body);
        assertEquals(TOOL_OUTPUT, textOf(tool.path("content")), tool.toString());
    }

    // ---- the Anthropic SDK's stream, accumulated -------------------------------------------------------------------

    private static final class AnthropicStream {
        final MessageAccumulator accumulator = MessageAccumulator.create();
        final List<RawMessageStreamEvent> events = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final Map<Long, ToolUseBlock> toolUses = new TreeMap<>();
        final Map<Long, StringBuilder> inputJson = new HashMap<>();
        final Set<Long> openBlocks = new HashSet<>();
        final Set<Long> closedBlocks = new HashSet<>();
        StopReason stopReason;
        RawMessageDeltaEvent messageDelta;

        void add(RawMessageStreamEvent event) {
            event.validate();
            events.add(event);
            accumulator.accumulate(event);
            event.contentBlockStart().ifPresent(start -> {
                assertTrue(openBlocks.add(start.index()), "block " + start.index() + " starts once");
                RawContentBlockStartEvent.ContentBlock block = start.contentBlock();
                block.toolUse().ifPresent(t -> toolUses.put(start.index(), t));
            });
            event.contentBlockDelta().ifPresent(delta -> {
                assertTrue(openBlocks.contains(delta.index()) && !closedBlocks.contains(delta.index()),
                        "a delta for an open block: " + delta);
                delta.delta().text().ifPresent(t -> text.append(t.text()));
                delta.delta().inputJson().ifPresent(j ->
                        inputJson.computeIfAbsent(delta.index(), i -> new StringBuilder()).append(j.partialJson()));
            });
            event.contentBlockStop().ifPresent(stop -> {
                assertTrue(openBlocks.contains(stop.index()), "stop of a started block: " + stop);
                assertTrue(closedBlocks.add(stop.index()), "block " + stop.index() + " stops once");
            });
            event.messageDelta().ifPresent(delta -> {
                assertEquals(null, messageDelta, "one message_delta");
                messageDelta = delta;
                stopReason = delta.delta().stopReason().orElse(null);
            });
        }

        /** message_start … content blocks … message_delta (with output_tokens) … message_stop. */
        void assertOrder() {
            assertTrue(events.size() >= 4, events.toString());
            assertTrue(events.get(0).messageStart().isPresent(), "message_start first: " + events.get(0));
            assertTrue(events.get(events.size() - 1).messageStop().isPresent(), "message_stop last");
            assertTrue(events.get(events.size() - 2).messageDelta().isPresent(), "message_delta right before message_stop");
            assertEquals(1, events.stream().filter(e -> e.messageStart().isPresent()).count());
            assertEquals(1, events.stream().filter(e -> e.messageStop().isPresent()).count());
            assertEquals(openBlocks, closedBlocks, "every started block is stopped");
            assertFalse(openBlocks.isEmpty(), "at least one content block");
            assertNotNull(messageDelta);
            assertTrue(messageDelta.usage().outputTokens() > 0, "message_delta carries output_tokens: " + messageDelta);
            Message started = events.get(0).messageStart().get().message();
            assertEquals(GPT, started.model().asString(), "message_start names the requested model");
            assertFalse(started.id().isBlank(), "message_start carries an id");
            // input tokens are unknown when an OpenAI upstream starts: message_delta carries them, and the SDK's
            // accumulator takes them from there
            assertTrue(messageDelta.usage().inputTokens().orElse(0L) > 0, "message_delta carries input_tokens: "
                    + messageDelta.usage());
            assertTrue(accumulator.message().usage().inputTokens() > 0, "the accumulated message has input tokens");
            assertEquals(messageDelta.usage().outputTokens(), accumulator.message().usage().outputTokens());
        }
    }

    private static AnthropicStream anthropicStream(MessageCreateParams params) {
        AnthropicStream result = new AnthropicStream();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(result::add);
        }
        result.assertOrder();
        return result;
    }

    // ---- the raw wire of translated streams ------------------------------------------------------------------------

    @Test
    void translatedOpenAiStreamOnTheWire() throws Exception {
        anthropicUpstream.enqueue(Reply.text("one two three"));
        RawClient.Capture capture = new RawClient(gateway).stream(RawClient.OPENAI_CHAT,
                RawClient.chat(CLAUDE, "Say three words", true));
        assertEquals(200, capture.status(), capture.text());
        assertTrue(capture.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                capture.response().headers().toString());
        assertTrue(capture.eventNames().isEmpty(), "OpenAI streams have no event: lines: " + capture.text());
        List<String> data = capture.dataLines();
        assertEquals(1, capture.count("data: [DONE]"), "[DONE] exactly once: " + capture.text());
        assertEquals("[DONE]", data.get(data.size() - 1), "[DONE] ends the stream: " + capture.text());
        StringBuilder text = new StringBuilder();
        for (String line : data.subList(0, data.size() - 1)) {
            JsonNode chunk = JSON.readTree(line);
            assertEquals("chat.completion.chunk", chunk.path("object").asText(), line);
            assertFalse(chunk.path("usage").isObject(), "no usage chunk unless stream_options.include_usage: " + line);
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
            }
        }
        assertEquals("one two three", text.toString(), capture.text());
    }

    @Test
    void translatedAnthropicStreamOnTheWire() throws Exception {
        openAiUpstream.enqueue(Reply.text("one two three"));
        RawClient.Capture capture = new RawClient(gateway).stream(RawClient.MESSAGES,
                RawClient.messages(GPT, "Say three words", true));
        assertEquals(200, capture.status(), capture.text());
        assertTrue(capture.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                capture.response().headers().toString());
        assertEquals(0, capture.count("data: [DONE]"), "no [DONE] in an Anthropic stream: " + capture.text());
        List<String> names = capture.eventNames();
        List<String> data = capture.dataLines();
        assertEquals(names.size(), data.size(), "one data line per event: " + capture.text());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(names.get(i), JSON.readTree(data.get(i)).path("type").asText(),
                    "the event name is the data's type: " + capture.text());
        }
        List<String> withoutPings = names.stream().filter(n -> !n.equals("ping")).toList();
        assertEquals("message_start", withoutPings.get(0), capture.text());
        assertEquals("message_stop", withoutPings.get(withoutPings.size() - 1), capture.text());
        assertEquals("message_delta", withoutPings.get(withoutPings.size() - 2), capture.text());
        assertEquals("content_block_start", withoutPings.get(1), capture.text());
    }

    // =================================================================================================================
    // errors, count_tokens, the model list, rotation across kinds
    // =================================================================================================================

    @Test
    void anthropicUpstreamErrorReachesTheOpenAiSdkInItsDialectWithTheStatus() {
        anthropicUpstream.enqueue(Reply.anthropicError(400, "invalid_request_error", "bad thing"));
        var e = assertThrows(com.openai.errors.BadRequestException.class, () -> openAi.chat().completions()
                .create(ChatCompletionCreateParams.builder().model(CLAUDE).addUserMessage(QUESTION).build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("bad thing"), e.getMessage());
        assertEquals("invalid_request_error", e.type().orElse(null), "the error type is kept: " + e.getMessage());
    }

    @Test
    void openAiUpstreamErrorReachesTheAnthropicSdkInItsDialectWithTheStatus() {
        openAiUpstream.enqueue(Reply.openAiError(400, "invalid_request_error", "bad other thing"));
        var e = assertThrows(com.anthropic.errors.BadRequestException.class, () -> anthropic.messages()
                .create(MessageCreateParams.builder().model(GPT).maxTokens(64).addUserMessage(QUESTION).build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("bad other thing"), e.getMessage());
    }

    @Test
    void countTokensForAModelOnlyOpenAiServesIsALocalEstimate() {
        int openAiBefore = openAiUpstream.requestCount();
        int anthropicBefore = anthropicUpstream.requestCount();

        long bare = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .addUserMessage(QUESTION).build()).inputTokens();
        long withSystem = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .system(SYSTEM).addUserMessage(QUESTION).build()).inputTokens();
        long withTool = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .addUserMessage(QUESTION).addTool(anthropicWeatherTool()).build()).inputTokens();
        long longer = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .addUserMessage(QUESTION + " " + "And tomorrow, and the day after, in Lyon and Marseille too? ".repeat(5))
                .build()).inputTokens();

        assertTrue(bare > 0, "an estimate above zero: " + bare);
        assertTrue(withSystem > bare, "the system prompt is counted: " + withSystem + " vs " + bare);
        assertTrue(withTool > bare, "tools are counted: " + withTool + " vs " + bare);
        assertTrue(longer > bare, "messages are counted: " + longer + " vs " + bare);
        assertEquals(openAiBefore, openAiUpstream.requestCount(), "the OpenAI upstream is not called");
        assertEquals(anthropicBefore, anthropicUpstream.requestCount(), "nor the Anthropic one");
    }

    @Test
    void modelListNamesModelsOfBothKindsInBothShapes() throws Exception {
        Set<String> openAiIds = new HashSet<>();
        openAi.models().list().data().forEach(m -> {
            m.validate();
            openAiIds.add(m.id());
        });
        assertTrue(openAiIds.containsAll(Set.of(GPT, CLAUDE)), "OpenAI shape: " + openAiIds);

        Set<String> anthropicIds = new HashSet<>();
        anthropic.models().list().data().forEach(m -> {
            // not validate(): anthropic-java 3.12 also requires `lifecycle`, which the gateway's list (pinned by
            // ServiceEndpointsTest) does not carry; the fields callers read must parse
            assertFalse(m.displayName().isBlank(), m.toString());
            assertNotNull(m.createdAt(), m.toString());
            anthropicIds.add(m.id());
        });
        assertTrue(anthropicIds.containsAll(Set.of(GPT, CLAUDE)), "Anthropic shape: " + anthropicIds);

        RawClient raw = new RawClient(gateway);
        JsonNode openAiShape = JSON.readTree(raw.get("/v1/models", "authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .body());
        assertEquals("list", openAiShape.path("object").asText(), openAiShape.toString());
        JsonNode anthropicShape = JSON.readTree(raw.get("/v1/models", "x-api-key", TestGateway.CLIENT_KEY,
                "anthropic-version", "2023-06-01").body());
        assertFalse(anthropicShape.has("object"), anthropicShape.toString());
        assertEquals("model", anthropicShape.path("data").path(0).path("type").asText(), anthropicShape.toString());
    }

    @Test
    void anOverloadedAnthropicCredentialHandsOverToAnOpenAiCredentialServingTheSameModel() throws Exception {
        try (FakeUpstream anthropicFirst = FakeUpstream.anthropic();
             FakeUpstream openAiSecond = FakeUpstream.openAi()) {
            TestGateway rotating = TestGateway.builder()
                    .credential("anthropic-shared", anthropicFirst, "[shared]")
                    .credential("openai-shared", openAiSecond, "[shared]")
                    .start();
            OpenAIClient client = openAiClient(rotating);
            try {
                anthropicFirst.enqueue(Reply.overloaded());
                openAiSecond.enqueue(Reply.text("Served by the OpenAI credential"));

                ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("shared").addSystemMessage(SYSTEM).addUserMessage(QUESTION).build());
                completion.validate();
                assertEquals("Served by the OpenAI credential",
                        completion.choices().get(0).message().content().orElseThrow());

                assertEquals(1, anthropicFirst.requestCount(), "the Anthropic credential was tried first");
                JsonNode tried = anthropicFirst.lastRequest().json();
                assertAnthropicShaped(tried);
                assertTrue(tried.path("max_tokens").asLong() > 0, tried.toString());
                assertEquals(1, openAiSecond.requestCount(), "then the OpenAI credential answered");
                JsonNode served = openAiSecond.lastRequest().json();
                assertEquals("shared", served.path("model").asText(), served.toString());
                assertEquals("system", served.path("messages").path(0).path("role").asText(),
                        "the OpenAI credential gets the caller's own request: " + served);
            } finally {
                client.close();
                rotating.close();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The top-level system as text: a string, or its text blocks joined. */
    private static String systemText(JsonNode body) {
        return textOf(body.path("system"));
    }

    /** A content value as text: a string, or the text of its text blocks/parts joined. */
    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                sb.append(block.path("text").asText());
            }
        }
        return content.isMissingNode() || content.isNull() ? null : sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseObject(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }
}
