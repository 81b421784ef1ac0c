package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAI Responses API of an account ({@code POST /v1/responses}), as api.openai.com serves it: a response
 * object, or its event stream ({@code event:} + {@code data:} with {@code type} and an increasing
 * {@code sequence_number}, no {@code [DONE]}). Like the real one it keeps the ids of the responses it made, and
 * answers a {@code previous_response_id} it never made with its 400: a follow-up sent to another account fails as it
 * would in production. Authentication, errors and rate limits are OpenAI's ({@link OpenAiWire}).
 */
final class OpenAiResponsesWire implements Wire {

    private static final String PREVIOUS_RESPONSE_ID = "previous_response_id";

    private final OpenAiWire openAi = new OpenAiWire();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final RequestValidator validator = this::validate;

    @Override
    public String id() {
        return "openai-responses";
    }

    @Override
    public String baseUrl(String root) {
        return openAi.baseUrl(root);
    }

    @Override
    public Endpoint route(String method, String path) {
        if ("POST".equals(method) && "/v1/responses".equals(path)) {
            return Endpoint.COMPLETION;
        }
        if ("POST".equals(method) && "/v1/responses/input_tokens".equals(path)) {
            return Endpoint.COUNT_TOKENS;
        }
        return openAi.route(method, path) == Endpoint.MODELS ? Endpoint.MODELS : null;
    }

    @Override
    public Rejection notFound(String method, String path) {
        return openAi.notFound(method, path);
    }

    @Override
    public Optional<Rejection> authenticate(RecordedRequest request, String apiKey) {
        return openAi.authenticate(request, apiKey);
    }

    @Override
    public RequestValidator validator() {
        return validator;
    }

    private Optional<Rejection> validate(Endpoint endpoint, RecordedRequest request) {
        JsonNode body = request.json();
        if (endpoint != Endpoint.COMPLETION) {
            return Optional.empty();
        }
        if (body == null || !body.isObject()) {
            return Optional.of(new Rejection(400, "invalid_request_error",
                    "We could not parse the JSON body of your request.", null, null));
        }
        if (!body.path("model").isTextual()) {
            return Optional.of(new Rejection(400, "invalid_request_error", "Missing required parameter: 'model'.",
                    "model", "missing_required_parameter"));
        }
        if (!body.path("input").isTextual() && !body.path("input").isArray()) {
            return Optional.of(new Rejection(400, "invalid_request_error", "Missing required parameter: 'input'.",
                    "input", "missing_required_parameter"));
        }
        JsonNode previous = body.get(PREVIOUS_RESPONSE_ID);
        if (previous != null && !previous.isNull() && !issued.contains(previous.asText())) {
            return Optional.of(new Rejection(400, "invalid_request_error",
                    "Previous response with id '" + previous.asText() + "' not found.", PREVIOUS_RESPONSE_ID,
                    "previous_response_not_found"));
        }
        return Optional.empty();
    }

    @Override
    public Map<String, String> commonHeaders(String requestId) {
        return openAi.commonHeaders(requestId);
    }

    @Override
    public String errorBody(Rejection rejection, String requestId) {
        return openAi.errorBody(rejection, requestId);
    }

    @Override
    public String completion(ReplyContext context, Completion completion) {
        ObjectNode response = response(context, newId(), "completed");
        response.set("output", Json.array().add(outputItem(completion, itemId(completion))));
        response.set("usage", usage(context, completion));
        return Json.write(response);
    }

    @Override
    public StreamPlan stream(ReplyContext context, Completion completion) {
        Events events = new Events();
        String id = newId();
        String itemId = itemId(completion);
        List<String> opening = new ArrayList<>();
        ObjectNode created = Json.object();
        created.set("response", response(context, id, "in_progress"));
        opening.add(events.event("response.created", created));
        ObjectNode inProgress = Json.object();
        inProgress.set("response", response(context, id, "in_progress"));
        opening.add(events.event("response.in_progress", inProgress));
        ObjectNode added = Json.object();
        added.put("output_index", 0);
        added.set("item", startedItem(completion, itemId));
        opening.add(events.event("response.output_item.added", added));
        boolean text = completion instanceof Completion.Text;
        if (text) {
            ObjectNode partAdded = Json.object();
            partAdded.put("item_id", itemId);
            partAdded.put("output_index", 0);
            partAdded.put("content_index", 0);
            partAdded.set("part", textPart(""));
            opening.add(events.event("response.content_part.added", partAdded));
        }
        List<String> content = new ArrayList<>();
        for (String piece : completion.pieces()) {
            ObjectNode delta = Json.object();
            delta.put("item_id", itemId);
            delta.put("output_index", 0);
            if (text) {
                delta.put("content_index", 0);
            }
            delta.put("delta", piece);
            content.add(events.event(text ? "response.output_text.delta" : "response.function_call_arguments.delta",
                    delta));
        }
        List<String> closing = new ArrayList<>();
        ObjectNode finished = outputItem(completion, itemId);
        if (text) {
            String whole = finished.path("content").path(0).path("text").asText();
            ObjectNode textDone = Json.object();
            textDone.put("item_id", itemId);
            textDone.put("output_index", 0);
            textDone.put("content_index", 0);
            textDone.put("text", whole);
            closing.add(events.event("response.output_text.done", textDone));
            ObjectNode partDone = Json.object();
            partDone.put("item_id", itemId);
            partDone.put("output_index", 0);
            partDone.put("content_index", 0);
            partDone.set("part", textPart(whole));
            closing.add(events.event("response.content_part.done", partDone));
        } else {
            ObjectNode argumentsDone = Json.object();
            argumentsDone.put("item_id", itemId);
            argumentsDone.put("output_index", 0);
            argumentsDone.put("arguments", ((Completion.ToolCall) completion).arguments());
            closing.add(events.event("response.function_call_arguments.done", argumentsDone));
        }
        ObjectNode itemDone = Json.object();
        itemDone.put("output_index", 0);
        itemDone.set("item", finished);
        closing.add(events.event("response.output_item.done", itemDone));
        ObjectNode completed = response(context, id, "completed");
        completed.set("output", Json.array().add(finished));
        completed.set("usage", usage(context, completion));
        ObjectNode done = Json.object();
        done.set("response", completed);
        closing.add(events.event("response.completed", done));
        return new StreamPlan(opening, content, closing);
    }

    /** A response id this account knows from now on, for {@code previous_response_id}. */
    private String newId() {
        String id = Ids.random("resp_", 32);
        issued.add(id);
        return id;
    }

    private static String itemId(Completion completion) {
        return Ids.random(completion instanceof Completion.Text ? "msg_" : "fc_", 32);
    }

    private static ObjectNode response(ReplyContext context, String id, String status) {
        ObjectNode response = Json.object();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", Instant.now().getEpochSecond());
        response.put("status", status);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.putNull("instructions");
        response.set("metadata", Json.object());
        response.put("model", context.model());
        response.set("output", Json.array());
        response.put("parallel_tool_calls", true);
        response.put("temperature", 1.0);
        response.put("tool_choice", "auto");
        response.set("tools", Json.array());
        response.put("top_p", 1.0);
        response.put("store", true);
        response.putNull("usage");
        return response;
    }

    private static ObjectNode startedItem(Completion completion, String itemId) {
        ObjectNode item = outputItem(completion, itemId);
        item.put("status", "in_progress");
        if (completion instanceof Completion.Text) {
            item.set("content", Json.array());
        } else {
            item.put("arguments", "");
        }
        return item;
    }

    private static ObjectNode outputItem(Completion completion, String itemId) {
        ObjectNode item = Json.object();
        item.put("id", itemId);
        if (completion instanceof Completion.Text text) {
            item.put("type", "message");
            item.put("status", "completed");
            item.put("role", "assistant");
            item.set("content", Json.array().add(textPart(text.text())));
        } else {
            Completion.ToolCall call = (Completion.ToolCall) completion;
            item.put("type", "function_call");
            item.put("status", "completed");
            item.put("call_id", Ids.random("call_", 24));
            item.put("name", call.name());
            item.put("arguments", call.arguments());
        }
        return item;
    }

    private static ObjectNode textPart(String text) {
        ObjectNode part = Json.object();
        part.put("type", "output_text");
        part.put("text", text);
        part.set("annotations", Json.array());
        part.set("logprobs", Json.array());
        return part;
    }

    private static ObjectNode usage(ReplyContext context, Completion completion) {
        ObjectNode inputDetails = Json.object();
        inputDetails.put("cached_tokens", 0);
        inputDetails.put("cache_write_tokens", 0);
        ObjectNode outputDetails = Json.object();
        outputDetails.put("reasoning_tokens", 0);
        ObjectNode usage = Json.object();
        usage.put("input_tokens", context.inputTokens());
        usage.set("input_tokens_details", inputDetails);
        usage.put("output_tokens", completion.outputTokens());
        usage.set("output_tokens_details", outputDetails);
        usage.put("total_tokens", context.inputTokens() + completion.outputTokens());
        return usage;
    }

    /** Frames the events of one stream, numbering them from 0. */
    private static final class Events {
        private int sequence;

        String event(String type, ObjectNode payload) {
            ObjectNode data = Json.object();
            data.put("type", type);
            data.put("sequence_number", sequence++);
            data.setAll(payload);
            return "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
        }
    }

    /** OpenAI's in-band failure: a {@code response.failed} whose response carries the error. */
    @Override
    public String streamError(String requestId) {
        ObjectNode error = Json.object();
        error.put("code", "server_error");
        error.put("message", "The server had an error while processing your request. Sorry about that!");
        ObjectNode response = Json.object();
        response.put("id", Ids.random("resp_", 32));
        response.put("object", "response");
        response.put("status", "failed");
        response.set("error", error);
        response.set("output", Json.array());
        ObjectNode data = Json.object();
        data.put("type", "response.failed");
        data.put("sequence_number", 0);
        data.set("response", response);
        return "event: response.failed\ndata: " + Json.write(data) + "\n\n";
    }

    @Override
    public Rejection rateLimit() {
        return openAi.rateLimit();
    }

    @Override
    public Map<String, String> rateLimitResetHeaders(int seconds) {
        return openAi.rateLimitResetHeaders(seconds);
    }

    @Override
    public Rejection overloaded() {
        return openAi.overloaded();
    }

    @Override
    public List<String> modelIds() {
        return openAi.modelIds();
    }

    @Override
    public String models() {
        return openAi.models();
    }

    @Override
    public String countTokens(int inputTokens) {
        ObjectNode body = Json.object();
        body.put("object", "response.input_tokens");
        body.put("input_tokens", inputTokens);
        return Json.write(body);
    }
}
