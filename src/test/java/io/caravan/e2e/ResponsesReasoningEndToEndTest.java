package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, reasoning on the translated path: openai-java's {@code client.responses().create} and
 * {@code createStreaming} through the booted gateway, against an Anthropic upstream that answers with a signed
 * thinking block and a Chat Completions upstream that answers with {@code reasoning_content}. The SDK sees a
 * {@code reasoning} item with the reasoning as its summary text (and parses every reasoning event of the stream);
 * sending that item back on the next turn gives Anthropic its thinking block with the original signature, and the
 * Chat upstream its reasoning text.
 *
 * <p>The upstreams' answers are the providers' exact wire bodies, given verbatim ({@link #verbatim}): the fake's
 * generated answers carry no reasoning.
 */
class ResponsesReasoningEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPT = "gpt-think";
    private static final String CLAUDE = "claude-think";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String TOOL = "get_weather";
    private static final String THOUGHT_START = "The user wants the weather in Paris;";
    private static final String THOUGHT_END = " I should call get_weather.";
    private static final String THOUGHT = THOUGHT_START + THOUGHT_END;
    /** A signature as Anthropic writes them: opaque base64, long. */
    private static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxkX2Jsb2NrX3NpZ25hdHVyZV9vZl90aGVfdGhp"
            + "bmtpbmc"
            + "IjBmb3JfdGhlX2dhdGV3YXlfdGVzdHNfb25seV9ub3RfYV9yZWFsX29uZQ==";
    private static final String EVENT_STREAM = "text/event-stream";

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai-think", openAiUpstream, "[" + GPT + "]")
                .credential("anthropic-think", anthropicUpstream, "[" + CLAUDE + "]")
                .start();
        client = gateway.openAiClient();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(client, gateway, openAiUpstream, anthropicUpstream);
    }

    /** Replies a failed test left queued cannot answer the next test. */
    @AfterEach
    void discardUnusedReplies() {
        openAiUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
    }

    // ---- the upstreams' answers, on their wires --------------------------------------------------------------------

    /** A 200 answer with exactly this body: the fake's {@code error} reply is its verbatim one, whatever the status. */
    private static Reply verbatim(String contentType, String body) {
        return Reply.error(200, body, Map.of("content-type", contentType));
    }

    private static ObjectNode anthropicUsage(int input, int output) {
        return JSON.createObjectNode().put("input_tokens", input).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", output).put("service_tier", "standard");
    }

    private static ObjectNode anthropicMessage(ArrayNode content, String stopReason) {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_01ThinkingAnswer").put("type", "message")
                .put("role", "assistant").put("model", CLAUDE);
        message.set("content", content);
        message.put("stop_reason", stopReason);
        message.putNull("stop_sequence");
        message.set("usage", anthropicUsage(30, 40));
        return message;
    }

    /** Anthropic's answer to a question with a tool: a signed thinking block, then the tool call. */
    private static Reply anthropicThinkingThenToolCall(boolean stream) throws Exception {
        if (!stream) {
            ArrayNode content = JSON.createArrayNode();
            content.addObject().put("type", "thinking").put("thinking", THOUGHT).put("signature", SIGNATURE);
            content.addObject().put("type", "tool_use").put("id", "toolu_01Weather").put("name", TOOL)
                    .putObject("input").put("city", "Paris");
            return verbatim("application/json", JSON.writeValueAsString(anthropicMessage(content, "tool_use")));
        }
        ObjectNode started = anthropicMessage(JSON.createArrayNode(), null);
        started.set("usage", anthropicUsage(30, 1));
        StringBuilder events = new StringBuilder();
        anthropicEvent(events, JSON.createObjectNode().put("type", "message_start").set("message", started));
        ObjectNode thinkingStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        thinkingStart.putObject("content_block").put("type", "thinking").put("thinking", "").put("signature", "");
        anthropicEvent(events, thinkingStart);
        anthropicEvent(events, blockDelta(0, "thinking_delta", "thinking", THOUGHT_START));
        anthropicEvent(events, blockDelta(0, "thinking_delta", "thinking", THOUGHT_END));
        anthropicEvent(events, blockDelta(0, "signature_delta", "signature", SIGNATURE));
        anthropicEvent(events, JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode toolStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 1);
        ObjectNode toolUse = toolStart.putObject("content_block").put("type", "tool_use").put("id", "toolu_01Weather")
                .put("name", TOOL);
        toolUse.putObject("input");
        anthropicEvent(events, toolStart);
        anthropicEvent(events, blockDelta(1, "input_json_delta", "partial_json", "{\"city\":"));
        anthropicEvent(events, blockDelta(1, "input_json_delta", "partial_json", "\"Paris\"}"));
        anthropicEvent(events, JSON.createObjectNode().put("type", "content_block_stop").put("index", 1));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "tool_use").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", 40);
        anthropicEvent(events, messageDelta);
        anthropicEvent(events, JSON.createObjectNode().put("type", "message_stop"));
        return verbatim(EVENT_STREAM, events.toString());
    }

    private static ObjectNode blockDelta(int index, String type, String field, String value) {
        ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(field, value);
        return event;
    }

    private static void anthropicEvent(StringBuilder events, JsonNode data) throws Exception {
        events.append("event: ").append(data.path("type").asText()).append("\ndata: ")
                .append(JSON.writeValueAsString(data)).append("\n\n");
    }

    /** A Chat Completions answer with DeepSeek's {@code reasoning_content} and the reasoning token count. */
    private static Reply chatReasoningThenText(boolean stream) throws Exception {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", 20).put("completion_tokens", 30)
                .put("total_tokens", 50);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 12);
        if (!stream) {
            ObjectNode completion = chatObject("chat.completion");
            ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", "Sunny in Paris.")
                    .put("reasoning_content", THOUGHT).putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
            completion.set("usage", usage);
            return verbatim("application/json", JSON.writeValueAsString(completion));
        }
        StringBuilder events = new StringBuilder();
        chatChunk(events, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, null);
        chatChunk(events, JSON.createObjectNode().put("reasoning_content", THOUGHT_START), null, null);
        chatChunk(events, JSON.createObjectNode().put("reasoning_content", THOUGHT_END), null, null);
        chatChunk(events, JSON.createObjectNode().put("content", "Sunny"), null, null);
        chatChunk(events, JSON.createObjectNode().put("content", " in Paris."), null, null);
        chatChunk(events, JSON.createObjectNode(), "stop", null);
        chatChunk(events, null, null, usage);
        events.append("data: [DONE]\n\n");
        return verbatim(EVENT_STREAM, events.toString());
    }

    private static ObjectNode chatObject(String object) {
        return JSON.createObjectNode().put("id", "chatcmpl-think1").put("object", object).put("created", 1_760_000_000L)
                .put("model", GPT);
    }

    private static void chatChunk(StringBuilder events, ObjectNode delta, String finish, ObjectNode usage)
            throws Exception {
        ObjectNode chunk = chatObject("chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        if (usage == null) {
            chunk.putNull("usage");
        } else {
            chunk.set("usage", usage);
        }
        events.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
    }

    // ---- the caller ------------------------------------------------------------------------------------------------

    private static FunctionTool weatherTool() {
        return FunctionTool.builder().name(TOOL).description("Current weather of a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    /** What Codex sends: reasoning with a summary, its encrypted content included, nothing stored. */
    private static ResponseCreateParams.Builder reasoningRequest(String model) {
        return ResponseCreateParams.builder().model(model)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build())
                .addInclude(ResponseIncludable.REASONING_ENCRYPTED_CONTENT).store(false).addTool(weatherTool());
    }

    private static EasyInputMessage question() {
        return EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(QUESTION).build();
    }

    /** Every event of a streamed answer, and the response its {@code response.completed} carries. */
    private record Streamed(List<ResponseStreamEvent> events, Response completed) {
    }

    private static Streamed stream(ResponseCreateParams params) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(events::add);
        }
        Response completed = events.get(events.size() - 1).completed()
                .orElseThrow(() -> new AssertionError("the stream did not end in response.completed: " + events))
                .response();
        return new Streamed(events, completed);
    }

    /** An event as the SDK parsed it, written back as JSON: its type and number as they came. */
    private static JsonNode wire(ResponseStreamEvent event) {
        return ObjectMappers.jsonMapper().valueToTree(event);
    }

    private static Response answer(ResponseCreateParams params, boolean stream) {
        Response response = stream ? stream(params).completed() : client.responses().create(params);
        response.validate();
        return response;
    }

    private static ResponseReasoningItem reasoningItemFirst(Response response) {
        ResponseOutputItem first = response.output().get(0);
        return first.reasoning().orElseThrow(() -> new AssertionError("output[0] is no reasoning item: " + response));
    }

    private static void assertSummary(ResponseReasoningItem reasoning) {
        assertTrue(reasoning.id().startsWith("rs_"), reasoning.id());
        assertEquals(1, reasoning.summary().size(), reasoning.toString());
        assertEquals(THOUGHT, reasoning.summary().get(0).text());
    }

    // ---- Anthropic: thinking and its signature, across two turns ---------------------------------------------------

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void anthropicThinkingComesBackAsAReasoningItemAndGoesBackWithItsSignature(boolean stream) throws Exception {
        anthropicUpstream.enqueue(anthropicThinkingThenToolCall(stream));

        Response first = answer(reasoningRequest(CLAUDE).inputOfResponse(List.of(ResponseInputItem
                .ofEasyInputMessage(question()))).build(), stream);

        JsonNode sentFirst = anthropicUpstream.lastRequest().json();
        assertEquals("enabled", sentFirst.path("thinking").path("type").asText(), sentFirst.toString());
        assertTrue(sentFirst.path("thinking").path("budget_tokens").asInt() >= 1024, sentFirst.toString());
        ResponseReasoningItem reasoning = reasoningItemFirst(first);
        assertSummary(reasoning);
        String sealed = reasoning.encryptedContent().orElseThrow(() -> new AssertionError("no encrypted_content"));
        assertTrue(sealed.endsWith(SIGNATURE), sealed);
        ResponseFunctionToolCall call = first.output().get(1).functionCall()
                .orElseThrow(() -> new AssertionError("output[1] is no function call: " + first));
        assertEquals(TOOL, call.name());
        assertEquals(2, first.output().size(), first.toString());

        anthropicUpstream.enqueue(Reply.text("It is sunny in Paris"));
        Response second = answer(reasoningRequest(CLAUDE).inputOfResponse(List.of(
                ResponseInputItem.ofEasyInputMessage(question()),
                ResponseInputItem.ofReasoning(reasoning),
                ResponseInputItem.ofFunctionCall(call),
                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId()).output("sunny, 21 degrees").build()))).build(), stream);

        assertEquals("It is sunny in Paris", second.output().get(0).message().orElseThrow().content().get(0)
                .outputText().orElseThrow().text());
        JsonNode assistant = anthropicUpstream.lastRequest().json().path("messages").path(1);
        assertEquals("assistant", assistant.path("role").asText(), assistant.toString());
        JsonNode thinking = assistant.path("content").path(0);
        assertEquals("thinking", thinking.path("type").asText(), assistant.toString());
        assertEquals(THOUGHT, thinking.path("thinking").asText());
        assertEquals(SIGNATURE, thinking.path("signature").asText(), "the original signature, unchanged");
        assertEquals("tool_use", assistant.path("content").path(1).path("type").asText(), assistant.toString());
    }

    /** The SDK parses every reasoning event; they number on, share the item's id and output index, and add up. */
    @Test
    void theStreamedReasoningEventsFitTogether() throws Exception {
        anthropicUpstream.enqueue(anthropicThinkingThenToolCall(true));

        Streamed streamed = stream(reasoningRequest(CLAUDE).input(QUESTION).build());

        List<String> types = new ArrayList<>();
        StringBuilder deltas = new StringBuilder();
        String doneText = null;
        String itemId = null;
        for (ResponseStreamEvent event : streamed.events()) {
            types.add(wire(event).path("type").asText());
            if (event.isOutputItemAdded() && itemId == null) {
                itemId = event.asOutputItemAdded().item().asReasoning().id();
                assertEquals(0, event.asOutputItemAdded().outputIndex());
            }
            event.reasoningSummaryPartAdded().ifPresent(e -> assertEquals(0, e.summaryIndex()));
            event.reasoningSummaryTextDelta().ifPresent(e -> {
                assertEquals(0, e.outputIndex());
                assertEquals(0, e.summaryIndex());
                deltas.append(e.delta());
            });
            if (event.isReasoningSummaryTextDone()) {
                doneText = event.asReasoningSummaryTextDone().text();
                assertEquals(itemId, event.asReasoningSummaryTextDone().itemId());
            }
            event.reasoningSummaryPartDone().ifPresent(e -> assertEquals(THOUGHT, e.part().text()));
            event.outputItemDone().filter(e -> e.item().isReasoning()).ifPresent(e -> {
                assertEquals(0, e.outputIndex());
                assertTrue(e.item().asReasoning().encryptedContent().orElseThrow().endsWith(SIGNATURE));
            });
        }
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done"), types.subList(0, 9));
        assertEquals("response.output_item.added", types.get(9), types.toString());
        assertEquals("response.completed", types.get(types.size() - 1));
        assertEquals(THOUGHT, deltas.toString());
        assertEquals(THOUGHT, doneText);
        List<Long> numbers = streamed.events().stream().map(e -> wire(e).path("sequence_number").asLong()).toList();
        for (int i = 0; i < numbers.size(); i++) {
            assertEquals(i, numbers.get(i), "sequence numbers " + numbers);
        }
        Response completed = streamed.completed();
        assertSummary(reasoningItemFirst(completed));
        assertEquals(itemId, reasoningItemFirst(completed).id());
        assertTrue(completed.output().get(1).isFunctionCall(), completed.toString());
    }

    // ---- Chat Completions: reasoning_content ----------------------------------------------------------------------

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void chatReasoningContentComesBackAsAReasoningItemAndGoesBackAsReasoningText(boolean stream) throws Exception {
        openAiUpstream.enqueue(chatReasoningThenText(stream));

        Response first = answer(reasoningRequest(GPT).input(QUESTION).build(), stream);

        assertEquals("low", openAiUpstream.lastRequest().json().path("reasoning_effort").asText());
        ResponseReasoningItem reasoning = reasoningItemFirst(first);
        assertSummary(reasoning);
        assertFalse(reasoning.encryptedContent().isPresent(), "no signature, nothing to seal: " + reasoning);
        assertEquals("Sunny in Paris.", first.output().get(1).message().orElseThrow().content().get(0)
                .outputText().orElseThrow().text());
        assertEquals(12, first.usage().orElseThrow().outputTokensDetails().reasoningTokens());

        openAiUpstream.enqueue(Reply.text("You are welcome"));
        answer(reasoningRequest(GPT).inputOfResponse(List.of(
                ResponseInputItem.ofEasyInputMessage(question()),
                ResponseInputItem.ofReasoning(reasoning),
                ResponseInputItem.ofResponseOutputMessage(first.output().get(1).asMessage()),
                ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content("Thanks").build()))).build(), stream);

        JsonNode assistant = openAiUpstream.lastRequest().json().path("messages").path(1);
        assertEquals("assistant", assistant.path("role").asText(), assistant.toString());
        assertEquals("Sunny in Paris.", assistant.path("content").asText(), assistant.toString());
        assertEquals(THOUGHT, assistant.path("reasoning_content").asText(), assistant.toString());
        assertFalse(assistant.has("reasoning_signature"), assistant.toString());
        assertEquals("Thanks", openAiUpstream.lastRequest().json().path("messages").path(2).path("content").asText());
    }
}
