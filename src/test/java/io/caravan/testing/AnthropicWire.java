package io.caravan.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Anthropic Messages: routes, {@code x-api-key} authentication, named events and error shapes. */
final class AnthropicWire implements Wire {

    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
            new ModelInfo("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"),
            new ModelInfo("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"));
    private static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";

    private final RequestValidator validator = new AnthropicRequestValidator();

    private record ModelInfo(String id, String displayName, String createdAt) {
    }

    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    public String baseUrl(String root) {
        return root;
    }

    @Override
    public Endpoint route(String method, String path) {
        if ("POST".equals(method) && "/v1/messages".equals(path)) {
            return Endpoint.COMPLETION;
        }
        if ("POST".equals(method) && "/v1/messages/count_tokens".equals(path)) {
            return Endpoint.COUNT_TOKENS;
        }
        if ("GET".equals(method) && "/v1/models".equals(path)) {
            return Endpoint.MODELS;
        }
        return null;
    }

    @Override
    public Rejection notFound(String method, String path) {
        return new Rejection(404, "not_found_error", "Not Found", null, null);
    }

    /**
     * The key travels in {@code x-api-key}, or as {@code Authorization: Bearer} (what anthropic-java 3.x sends for an
     * API key, and what OAuth clients send).
     */
    @Override
    public Optional<Rejection> authenticate(RecordedRequest request, String apiKey) {
        String presented = request.header("x-api-key");
        String authorization = request.header("authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null) {
            return Optional.of(new Rejection(401, "authentication_error", "x-api-key header is required", null, null));
        }
        if (!presented.equals(apiKey)) {
            return Optional.of(new Rejection(401, "authentication_error", "invalid x-api-key", null, null));
        }
        return Optional.empty();
    }

    @Override
    public RequestValidator validator() {
        return validator;
    }

    @Override
    public Map<String, String> commonHeaders(String requestId) {
        return Map.of("request-id", requestId, "anthropic-organization-id", "00000000-0000-4000-8000-000000000000");
    }

    @Override
    public String errorBody(Rejection rejection, String requestId) {
        return errorJson(rejection, requestId);
    }

    /** {@code {"type":"error","error":{"type","message"},"request_id"}}. */
    static String errorJson(Rejection rejection, String requestId) {
        return Json.write(errorNode(rejection, requestId));
    }

    private static ObjectNode errorNode(Rejection rejection, String requestId) {
        ObjectNode error = Json.object();
        error.put("type", rejection.type());
        error.put("message", rejection.message());
        ObjectNode body = Json.object();
        body.put("type", "error");
        body.set("error", error);
        body.put("request_id", requestId);
        return body;
    }

    @Override
    public String completion(ReplyContext context, Completion completion) {
        ObjectNode block = Json.object();
        String stopReason;
        if (completion instanceof Completion.Text text) {
            block.put("type", "text");
            block.put("text", text.text());
            stopReason = "end_turn";
        } else {
            Completion.ToolCall call = (Completion.ToolCall) completion;
            block.put("type", "tool_use");
            block.put("id", Ids.random("toolu_01", 22));
            block.put("name", call.name());
            block.set("input", Json.parse(call.arguments()));
            stopReason = "tool_use";
        }
        ObjectNode message = message(context, Json.array().add(block), stopReason);
        message.set("usage", usage(context.inputTokens(), completion.outputTokens()));
        return Json.write(message);
    }

    private static ObjectNode message(ReplyContext context, ArrayNode content, String stopReason) {
        ObjectNode message = Json.object();
        message.put("id", Ids.random("msg_01", 22));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", context.model());
        message.set("content", content);
        message.put("stop_reason", stopReason);
        message.putNull("stop_sequence");
        return message;
    }

    private static ObjectNode usage(int inputTokens, int outputTokens) {
        ObjectNode usage = Json.object();
        usage.put("input_tokens", inputTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        usage.put("output_tokens", outputTokens);
        usage.put("service_tier", "standard");
        return usage;
    }

    @Override
    public StreamPlan stream(ReplyContext context, Completion completion) {
        ObjectNode start = message(context, Json.array(), null);
        start.set("usage", usage(context.inputTokens(), 1));
        ObjectNode messageStart = event("message_start");
        messageStart.set("message", start);

        ObjectNode block = Json.object();
        List<String> content = new ArrayList<>();
        String stopReason;
        if (completion instanceof Completion.Text) {
            block.put("type", "text");
            block.put("text", "");
            for (String word : completion.pieces()) {
                content.add(blockDelta("text_delta", "text", word));
            }
            stopReason = "end_turn";
        } else {
            Completion.ToolCall call = (Completion.ToolCall) completion;
            block.put("type", "tool_use");
            block.put("id", Ids.random("toolu_01", 22));
            block.put("name", call.name());
            block.set("input", Json.object());
            content.add(blockDelta("input_json_delta", "partial_json", ""));
            for (String fragment : completion.pieces()) {
                content.add(blockDelta("input_json_delta", "partial_json", fragment));
            }
            stopReason = "tool_use";
        }
        ObjectNode blockStart = event("content_block_start");
        blockStart.put("index", 0);
        blockStart.set("content_block", block);

        ObjectNode blockStop = event("content_block_stop");
        blockStop.put("index", 0);
        ObjectNode delta = Json.object();
        delta.put("stop_reason", stopReason);
        delta.putNull("stop_sequence");
        ObjectNode finalUsage = Json.object();
        finalUsage.put("output_tokens", completion.outputTokens());
        ObjectNode messageDelta = event("message_delta");
        messageDelta.set("delta", delta);
        messageDelta.set("usage", finalUsage);

        return new StreamPlan(
                List.of(frame(messageStart), frame(blockStart), PING),
                content,
                List.of(frame(blockStop), frame(messageDelta), frame(event("message_stop"))));
    }

    private static ObjectNode event(String type) {
        ObjectNode event = Json.object();
        event.put("type", type);
        return event;
    }

    private static String blockDelta(String deltaType, String field, String value) {
        ObjectNode delta = Json.object();
        delta.put("type", deltaType);
        delta.put(field, value);
        ObjectNode event = event("content_block_delta");
        event.put("index", 0);
        event.set("delta", delta);
        return frame(event);
    }

    private static String frame(ObjectNode data) {
        return "event: " + data.get("type").asText() + "\ndata: " + Json.write(data) + "\n\n";
    }

    @Override
    public String streamError(String requestId) {
        return frame(errorNode(overloaded(), requestId));
    }

    @Override
    public Rejection rateLimit() {
        return new Rejection(429, "rate_limit_error", "This request would exceed the rate limit for your "
                + "organization of 50 requests per minute. Please reduce the prompt length or the maximum tokens "
                + "requested, or try again later.", null, null);
    }

    @Override
    public Map<String, String> rateLimitResetHeaders(int seconds) {
        String reset = DateTimeFormatter.ISO_INSTANT.format(
                Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        return Map.of(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", reset);
    }

    @Override
    public Rejection overloaded() {
        return new Rejection(529, "overloaded_error", "Overloaded", null, null);
    }

    @Override
    public List<String> modelIds() {
        return MODELS.stream().map(ModelInfo::id).toList();
    }

    @Override
    public String models() {
        ArrayNode data = Json.array();
        for (ModelInfo info : MODELS) {
            ObjectNode model = Json.object();
            model.put("type", "model");
            model.put("id", info.id());
            model.put("display_name", info.displayName());
            model.put("created_at", info.createdAt());
            data.add(model);
        }
        List<String> ids = modelIds();
        ObjectNode body = Json.object();
        body.set("data", data);
        body.put("has_more", false);
        body.put("first_id", ids.get(0));
        body.put("last_id", ids.get(ids.size() - 1));
        return Json.write(body);
    }

    @Override
    public String countTokens(int inputTokens) {
        ObjectNode body = Json.object();
        body.put("input_tokens", inputTokens);
        return Json.write(body);
    }
}
