package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11: openai-java's Responses API ({@code client.responses().create} and {@code createStreaming}) through the
 * booted gateway, served by a Chat Completions credential and by an Anthropic one (translated), and for text, function
 * calls and errors also by a credential that speaks the Responses API itself (passed through). The fake upstreams validate requests like the real APIs, so a translation bug answers 400; every test also
 * checks what the upstream received in its own dialect, and the SDK parses and validates what came back. The raw-wire
 * tests check the event stream itself: names, order, numbering, and that it always ends in a terminal event.
 */
class ResponsesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GPT = "gpt-r";
    private static final String CLAUDE = "claude-r";
    /** Served by a credential that speaks the Responses API itself: passed through. */
    private static final String NATIVE = "gpt-native-r";
    private static final String INSTRUCTIONS = "You are a terse weather assistant.";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String TOOL = "get_weather";
    private static final String ARGUMENTS = "{\"city\":\"Paris\"}";
    private static final String TOOL_OUTPUT = "sunny, 21 degrees";
    private static final String RESPONSES = "/v1/responses";

    /** The event types of a streamed text answer, in the order the Responses API sends them. */
    private static final List<String> TEXT_SEQUENCE_HEAD = List.of("response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added");
    private static final List<String> TEXT_SEQUENCE_TAIL = List.of("response.output_text.done",
            "response.content_part.done", "response.output_item.done", "response.completed");

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static FakeUpstream nativeUpstream;
    private static TestGateway gateway;
    private static OpenAIClient client;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        nativeUpstream = FakeUpstream.openAiResponses();
        gateway = TestGateway.builder()
                .rawCredential("  - name: native-r\n    kind: openai\n    apis: [chat, responses]\n"
                        + "    base-url: " + nativeUpstream.baseUrl() + "\n    api-key: " + nativeUpstream.apiKey()
                        + "\n    models: [" + NATIVE + "]\n")
                .credential("openai-r", openAiUpstream, "[" + GPT + "]")
                .credential("anthropic-r", anthropicUpstream, "[" + CLAUDE + "]")
                .start();
        client = sdk(gateway);
        raw = new RawClient(gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(client, gateway, openAiUpstream, anthropicUpstream, nativeUpstream);
    }

    /** Replies a failed test left queued cannot answer the next test. */
    @AfterEach
    void discardUnusedReplies() {
        openAiUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
        nativeUpstream.discardPendingReplies();
    }

    private static OpenAIClient sdk(TestGateway target) {
        return target.openAiClient();
    }

    private static FakeUpstream upstreamOf(String model) {
        return GPT.equals(model) ? openAiUpstream : NATIVE.equals(model) ? nativeUpstream : anthropicUpstream;
    }

    private static ResponseCreateParams question(String model) {
        return ResponseCreateParams.builder().model(model).instructions(INSTRUCTIONS).input(QUESTION)
                .maxOutputTokens(200L).build();
    }

    private static FunctionTool weatherTool() {
        return FunctionTool.builder().name(TOOL).description("Current weather of a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    /** The SDK's streamed answer, rebuilt by its own accumulator (which checks the events fit together). */
    private static Response streamed(ResponseCreateParams params, Consumer<ResponseStreamEvent> each) {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                each.accept(event);
            });
        }
        return accumulator.response();
    }

    private static Response answer(ResponseCreateParams params, boolean stream) {
        Response response = stream ? streamed(params, e -> { }) : client.responses().create(params);
        response.validate();
        return response;
    }

    private static String outputText(Response response) {
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
        }
        return text.toString();
    }

    private static void assertUsage(Response response) {
        ResponseUsage usage = response.usage().orElseThrow();
        assertTrue(usage.inputTokens() > 0, usage.toString());
        assertTrue(usage.outputTokens() > 0, usage.toString());
        assertEquals(usage.inputTokens() + usage.outputTokens(), usage.totalTokens(), usage.toString());
        assertEquals(0, usage.inputTokensDetails().cachedTokens());
        assertEquals(0, usage.outputTokensDetails().reasoningTokens());
    }

    // ---- text ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} stream={1}")
    @CsvSource({"gpt-r,false", "gpt-r,true", "claude-r,false", "claude-r,true", "gpt-native-r,false",
        "gpt-native-r,true"})
    void aTextAnswerComesBackAsAResponseWithUsage(String model, boolean stream) throws Exception {
        FakeUpstream upstream = upstreamOf(model);
        upstream.enqueue(Reply.text("Sunny and mild in Paris"));

        Response response = answer(question(model), stream);

        assertTrue(response.id().startsWith("resp_"), response.id());
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        assertEquals(model, response.model().asString());
        assertEquals("Sunny and mild in Paris", outputText(response));
        assertUsage(response);

        JsonNode sent = upstream.lastRequest().json();
        assertEquals(stream, upstream.lastRequest().streamRequested());
        if (upstream == openAiUpstream) {
            assertEquals("/v1/chat/completions", upstream.lastRequest().path());
            assertEquals("system", sent.path("messages").path(0).path("role").asText());
            assertEquals(INSTRUCTIONS, sent.path("messages").path(0).path("content").asText());
            assertEquals(QUESTION, sent.path("messages").path(1).path("content").asText());
            assertEquals(200, sent.path("max_completion_tokens").asInt());
            assertEquals(stream, sent.path("stream_options").path("include_usage").asBoolean(false));
            assertFalse(sent.has("input") || sent.has("instructions") || sent.has("max_output_tokens"), sent.toString());
        } else if (upstream == nativeUpstream) {
            assertEquals("/v1/responses", upstream.lastRequest().path());
            assertEquals(INSTRUCTIONS, sent.path("instructions").asText(), sent.toString());
            assertEquals(QUESTION, sent.path("input").asText(), sent.toString());
            assertEquals(200, sent.path("max_output_tokens").asInt());
        } else {
            assertEquals("/v1/messages", upstream.lastRequest().path());
            assertEquals(INSTRUCTIONS, systemText(sent));
            assertEquals(200, sent.path("max_tokens").asInt());
            assertEquals(QUESTION, firstText(sent.path("messages").path(0)));
        }
    }

    private static String systemText(JsonNode anthropicRequest) {
        JsonNode system = anthropicRequest.path("system");
        return system.isTextual() ? system.asText() : system.path(0).path("text").asText();
    }

    private static String firstText(JsonNode message) {
        JsonNode content = message.path("content");
        return content.isTextual() ? content.asText() : content.path(0).path("text").asText();
    }

    // ---- function call round trip ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} stream={1}")
    @CsvSource({"gpt-r,false", "gpt-r,true", "claude-r,false", "claude-r,true", "gpt-native-r,false",
        "gpt-native-r,true"})
    void aFunctionCallAndItsOutputMakeARoundTrip(String model, boolean stream) throws Exception {
        FakeUpstream upstream = upstreamOf(model);
        upstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));
        ResponseCreateParams ask = ResponseCreateParams.builder().model(model).instructions(INSTRUCTIONS)
                .input(QUESTION).addTool(weatherTool()).build();

        Response first = answer(ask, stream);

        ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream())
                .findFirst().orElseThrow(() -> new AssertionError("no function_call item: " + first));
        assertEquals(TOOL, call.name());
        assertEquals(JSON.readTree(ARGUMENTS), JSON.readTree(call.arguments()));
        assertFalse(call.callId().isEmpty());
        assertEquals(ResponseStatus.COMPLETED, first.status().orElseThrow());
        JsonNode sentTools = upstream.lastRequest().json().path("tools");
        if (upstream == openAiUpstream) {
            assertEquals(TOOL, sentTools.path(0).path("function").path("name").asText(), sentTools.toString());
        } else {
            assertEquals(TOOL, sentTools.path(0).path("name").asText(), sentTools.toString());
        }

        upstream.enqueue(Reply.text("It is sunny in Paris"));
        List<ResponseInputItem> turn = new ArrayList<>();
        turn.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content(QUESTION).build()));
        turn.add(ResponseInputItem.ofFunctionCall(call));
        turn.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output(TOOL_OUTPUT).build()));
        Response second = answer(ResponseCreateParams.builder().model(model).instructions(INSTRUCTIONS)
                .inputOfResponse(turn).addTool(weatherTool()).build(), stream);

        assertEquals("It is sunny in Paris", outputText(second));
        JsonNode messages = upstream.lastRequest().json().path("messages");
        if (upstream == openAiUpstream) {
            JsonNode assistant = messages.path(2);
            assertEquals("assistant", assistant.path("role").asText(), messages.toString());
            assertEquals(call.callId(), assistant.path("tool_calls").path(0).path("id").asText());
            assertEquals(TOOL, assistant.path("tool_calls").path(0).path("function").path("name").asText());
            JsonNode tool = messages.path(3);
            assertEquals("tool", tool.path("role").asText(), messages.toString());
            assertEquals(call.callId(), tool.path("tool_call_id").asText());
            assertEquals(TOOL_OUTPUT, tool.path("content").asText());
        } else if (upstream == nativeUpstream) {
            JsonNode input = upstream.lastRequest().json().path("input");
            assertEquals("function_call", input.path(1).path("type").asText(), input.toString());
            assertEquals(call.callId(), input.path(1).path("call_id").asText());
            assertEquals("function_call_output", input.path(2).path("type").asText(), input.toString());
            assertEquals(call.callId(), input.path(2).path("call_id").asText());
            assertEquals(TOOL_OUTPUT, input.path(2).path("output").asText());
        } else {
            JsonNode toolUse = messages.path(1).path("content").path(0);
            assertEquals("tool_use", toolUse.path("type").asText(), messages.toString());
            assertEquals(TOOL, toolUse.path("name").asText());
            assertEquals("Paris", toolUse.path("input").path("city").asText());
            JsonNode result = messages.path(2).path("content").path(0);
            assertEquals("tool_result", result.path("type").asText(), messages.toString());
            assertEquals(toolUse.path("id").asText(), result.path("tool_use_id").asText());
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GPT, CLAUDE, NATIVE})
    void anUpstreamErrorIsRelayedInTheResponsesErrorShape(String model) throws Exception {
        FakeUpstream upstream = upstreamOf(model);
        upstream.enqueue(upstream == anthropicUpstream
                ? Reply.anthropicError(400, "invalid_request_error", "The prompt breaks a rule")
                : Reply.openAiError(400, "invalid_request_error", "The prompt breaks a rule"));

        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.responses().create(question(model)));

        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("The prompt breaks a rule"), e.getMessage());
        assertEquals("invalid_request_error", e.type().orElseThrow());

        upstream.enqueue(upstream == anthropicUpstream
                ? Reply.anthropicError(400, "invalid_request_error", "The prompt breaks a rule")
                : Reply.openAiError(400, "invalid_request_error", "The prompt breaks a rule"));
        HttpResponse<String> r = raw.post(RESPONSES, "{\"model\":\"" + model + "\",\"input\":\"hi\"}");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("The prompt breaks a rule", error.path("message").asText(), r.body());
        assertEquals("invalid_request_error", error.path("type").asText(), r.body());
        assertTrue(error.has("param") && error.has("code"), r.body());
    }

    @Test
    void aPreviousResponseIdTheGatewayDoesNotKeepIsNotFoundWithNoUpstreamCall() throws Exception {
        int before = openAiUpstream.requestCount();

        BadRequestException e = assertThrows(BadRequestException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model(GPT).input("and tomorrow?").previousResponseId("resp_123")
                        .build()));

        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("Previous response with id 'resp_123' not found"), e.getMessage());
        assertEquals("previous_response_not_found", e.code().orElseThrow());
        assertEquals(before, openAiUpstream.requestCount(), "refused before any credential was used");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"model\":\"gpt-r\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}",
        "{\"model\":\"gpt-r\",\"input\":[{\"type\":\"local_shell_call\",\"call_id\":\"c\"}]}",
        "{\"model\":\"gpt-r\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}",
        "{\"model\":\"gpt-r\",\"input\":\"hi\",\"tool_choice\":{\"type\":\"web_search_preview\"}}",
        "{\"model\":\"gpt-r\",\"input\":\"hi\",\"conversation\":\"conv_1\"}",
        "{\"model\":\"gpt-r\"}"})
    void whatChatCompletionsCannotCarryIsRefusedInTheResponsesErrorShape(String body) throws Exception {
        int before = openAiUpstream.requestCount();

        HttpResponse<String> r = raw.post(RESPONSES, body);

        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText(), r.body());
        assertFalse(error.path("message").asText().isBlank(), r.body());
        assertTrue(error.has("param") && error.path("code").isTextual(), r.body());
        assertEquals(before, openAiUpstream.requestCount());
    }

    // ---- rotation --------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void aFailingFirstCredentialIsRotatedAwayBeforeTheFirstByte(boolean stream) throws Exception {
        try (FakeUpstream first = FakeUpstream.openAi(); FakeUpstream second = FakeUpstream.openAi()) {
            first.enqueue(Reply.openAiError(503, "server_error", "The server is overloaded"));
            second.enqueue(Reply.text("Answered by the second"));
            try (TestGateway rotating = TestGateway.builder().credential("first", first, "[m]")
                    .credential("second", second, "[m]").start()) {
                OpenAIClient sdk = sdk(rotating);
                ResponseCreateParams params = ResponseCreateParams.builder().model("m").input(QUESTION).build();
                Response response;
                if (stream) {
                    ResponseAccumulator accumulator = ResponseAccumulator.create();
                    try (StreamResponse<ResponseStreamEvent> events = sdk.responses().createStreaming(params)) {
                        events.stream().forEach(accumulator::accumulate);
                    }
                    response = accumulator.response();
                } else {
                    response = sdk.responses().create(params);
                }

                sdk.close();
                assertEquals("Answered by the second", outputText(response));
                assertEquals(1, first.requestCount());
                assertEquals(1, second.requestCount());
            }
        }
    }

    // ---- the wire --------------------------------------------------------------------------------------------------

    /** One event as it came over the wire: its {@code event:} name and its data. */
    private record WireEvent(String name, JsonNode data) {
    }

    private static List<WireEvent> events(String body) throws Exception {
        List<WireEvent> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (data.length() > 0) {
                events.add(new WireEvent(name, JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    private static void assertNumberedAndNamed(List<WireEvent> events, String body) {
        long previous = -1;
        for (WireEvent event : events) {
            assertEquals(event.name(), event.data().path("type").asText(), body);
            assertTrue(event.data().path("sequence_number").isIntegralNumber(), body);
            long number = event.data().path("sequence_number").asLong();
            assertTrue(number > previous, "sequence_number not increasing at " + event + "\n" + body);
            previous = number;
        }
        assertEquals(0, events.get(0).data().path("sequence_number").asLong(), body);
        assertFalse(body.contains("[DONE]"), body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GPT, CLAUDE})
    void aStreamedTextAnswerHasTheResponsesEventSequence(String model) throws Exception {
        upstreamOf(model).enqueue(Reply.text("one two three"));

        HttpResponse<String> r = raw.post(RESPONSES, "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}");

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<WireEvent> events = events(r.body());
        assertNumberedAndNamed(events, r.body());
        List<String> types = events.stream().map(WireEvent::name).toList();
        assertEquals(TEXT_SEQUENCE_HEAD, types.subList(0, 4), r.body());
        assertEquals(TEXT_SEQUENCE_TAIL, types.subList(types.size() - 4, types.size()), r.body());
        List<String> middle = types.subList(4, types.size() - 4);
        assertFalse(middle.isEmpty());
        assertTrue(middle.stream().allMatch("response.output_text.delta"::equals), r.body());
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(e -> e.name().equals("response.output_text.delta"))
                .forEach(e -> deltas.append(e.data().path("delta").asText()));
        assertEquals("one two three", deltas.toString());

        JsonNode completed = events.get(events.size() - 1).data().path("response");
        String id = events.get(0).data().path("response").path("id").asText();
        assertEquals(id, completed.path("id").asText(), "one response id throughout");
        assertEquals("completed", completed.path("status").asText());
        assertEquals("one two three", completed.path("output").path(0).path("content").path(0).path("text").asText());
        JsonNode usage = completed.path("usage");
        assertTrue(usage.path("input_tokens").asLong() > 0, usage.toString());
        assertTrue(usage.path("input_tokens_details").has("cached_tokens"), usage.toString());
        assertTrue(usage.path("output_tokens_details").has("reasoning_tokens"), usage.toString());
    }

    @Test
    void aStreamedFunctionCallHasItsArgumentEvents() throws Exception {
        openAiUpstream.enqueue(Reply.toolCall(TOOL, ARGUMENTS));

        HttpResponse<String> r = raw.post(RESPONSES, "{\"model\":\"gpt-r\",\"stream\":true,\"input\":\"hi\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");

        List<WireEvent> events = events(r.body());
        assertNumberedAndNamed(events, r.body());
        List<String> types = events.stream().map(WireEvent::name).distinct().toList();
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed"), types, r.body());
        WireEvent done = events.stream().filter(e -> e.name().equals("response.function_call_arguments.done"))
                .findFirst().orElseThrow();
        assertEquals(JSON.readTree(ARGUMENTS), JSON.readTree(done.data().path("arguments").asText()));
        JsonNode item = events.get(events.size() - 1).data().path("response").path("output").path(0);
        assertEquals("function_call", item.path("type").asText());
        assertEquals(TOOL, item.path("name").asText());
    }

    /**
     * Keep-alives sent the stream's head while the only credential was still to answer; its failure then can only go
     * in-band, and it is a stream of one event: {@code response.failed}, numbered 0.
     */
    @Test
    void aFailureAfterKeepAlivesSentTheHeadIsAResponseFailedStreamOfOneEvent() throws Exception {
        HttpResponse<String> r;
        try (FakeUpstream failing = FakeUpstream.openAi();
             TestGateway own = TestGateway.builder().credential("failing", failing, "[m]")
                     .set("caravan.keep-alive-ms", "100").start()) {
            failing.enqueue(Reply.openAiError(500, "server_error", "The upstream broke")
                    .delayed(Duration.ofMillis(1500)));
            r = new RawClient(own).post(RESPONSES, "{\"model\":\"m\",\"stream\":true,\"input\":\"hi\"}");
        }

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith(": keep-alive"), r.body());
        List<WireEvent> events = events(r.body());
        assertEquals(1, events.size(), r.body());
        assertNumberedAndNamed(events, r.body());
        JsonNode response = events.get(0).data().path("response");
        assertEquals("response.failed", events.get(0).name());
        assertEquals("failed", response.path("status").asText());
        assertEquals("server_error", response.path("error").path("code").asText(), r.body());
        assertTrue(response.path("id").asText().startsWith("resp_"), r.body());
    }

    /**
     * After the first byte a failure is reported in-band and the stream always ends in {@code response.failed}: an
     * upstream error event, a connection lost mid-answer (framed by the relay, numbered on), an end before the
     * finish.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"error-event", "dropped", "ended-early"})
    void aStreamThatFailsAfterItsFirstByteEndsInResponseFailed(String how) throws Exception {
        HttpResponse<String> r;
        // its own gateway: a failed stream cools the credential that served it
        try (FakeUpstream failing = FakeUpstream.openAi();
             TestGateway own = TestGateway.builder().credential("failing", failing, "[m]").start()) {
            failing.enqueue(switch (how) {
                case "error-event" -> Reply.streamErrorAfter(2);
                case "dropped" -> Reply.dropAfter(2);
                default -> Reply.endAfter(2);
            });
            r = new RawClient(own).post(RESPONSES, "{\"model\":\"m\",\"stream\":true,\"input\":\"hi\"}");
        }

        assertEquals(200, r.statusCode(), r.body());
        List<WireEvent> events = events(r.body());
        assertNumberedAndNamed(events, r.body());
        WireEvent last = events.get(events.size() - 1);
        assertEquals("response.failed", last.name(), r.body());
        assertEquals(1, events.stream().filter(e -> e.name().equals("response.failed")).count(), r.body());
        JsonNode response = last.data().path("response");
        assertEquals("failed", response.path("status").asText());
        assertNotNull(response.path("error").path("code").textValue(), r.body());
        assertFalse(response.path("error").path("message").asText().isBlank(), r.body());
        assertEquals(events.get(0).data().path("response").path("id").asText(), response.path("id").asText());
    }
}
