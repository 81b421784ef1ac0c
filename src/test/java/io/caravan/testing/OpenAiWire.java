package io.caravan.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OpenAI Chat Completions: routes under {@code /v1}, Bearer authentication, chunk and error shapes. */
final class OpenAiWire implements Wire {

    private static final List<String> MODEL_IDS = List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1");
    private static final String FINGERPRINT = "fp_fake0001";
    private static final String DONE = "data: [DONE]\n\n";

    private final RequestValidator validator = new OpenAiRequestValidator();

    @Override
    public String id() {
        return "openai";
    }

    @Override
    public String baseUrl(String root) {
        return root + "/v1";
    }

    @Override
    public Endpoint route(String method, String path) {
        if ("POST".equals(method) && "/v1/chat/completions".equals(path)) {
            return Endpoint.COMPLETION;
        }
        if ("GET".equals(method) && "/v1/models".equals(path)) {
            return Endpoint.MODELS;
        }
        if ("POST".equals(method) && "/v1/embeddings".equals(path)) {
            return Endpoint.EMBEDDINGS;
        }
        return null;
    }

    @Override
    public Rejection notFound(String method, String path) {
        return new Rejection(404, "invalid_request_error", "Invalid URL (" + method + " " + path + ")", null, null);
    }

    @Override
    public Optional<Rejection> authenticate(RecordedRequest request, String apiKey) {
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(new Rejection(401, "invalid_request_error",
                    "You didn't provide an API key. You need to provide your API key in an Authorization header "
                            + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field "
                            + "(with blank username) if you're accessing the API from your browser and are prompted "
                            + "for a username and password. You can obtain an API key from "
                            + "https://platform.openai.com/account/api-keys.", null, null));
        }
        String presented = authorization.substring(7).trim();
        if (!presented.equals(apiKey)) {
            return Optional.of(new Rejection(401, "invalid_request_error",
                    "Incorrect API key provided: " + mask(presented) + ". You can find your API key at "
                            + "https://platform.openai.com/account/api-keys.", null, "invalid_api_key"));
        }
        return Optional.empty();
    }

    private static String mask(String key) {
        if (key.length() <= 8) {
            return "*".repeat(key.length());
        }
        return key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
    }

    @Override
    public String embeddings(RecordedRequest request) {
        return OpenAiEmbeddingsWire.answer(request);
    }

    @Override
    public RequestValidator validator() {
        return validator;
    }

    @Override
    public Map<String, String> commonHeaders(String requestId) {
        return Map.of("x-request-id", requestId, "openai-version", "2020-10-01");
    }

    @Override
    public String errorBody(Rejection rejection, String requestId) {
        return errorJson(rejection);
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    static String errorJson(Rejection rejection) {
        return Json.write(errorNode(rejection));
    }

    private static ObjectNode errorNode(Rejection rejection) {
        ObjectNode error = Json.object();
        error.put("message", rejection.message());
        error.put("type", rejection.type());
        error.put("param", rejection.param());
        error.put("code", rejection.code());
        ObjectNode body = Json.object();
        body.set("error", error);
        return body;
    }

    @Override
    public String completion(ReplyContext context, Completion completion) {
        ObjectNode message = Json.object();
        message.put("role", "assistant");
        String finishReason;
        if (completion instanceof Completion.Text text) {
            message.put("content", text.text());
            finishReason = "stop";
        } else {
            Completion.ToolCall call = (Completion.ToolCall) completion;
            message.putNull("content");
            ObjectNode function = Json.object();
            function.put("name", call.name());
            function.put("arguments", call.arguments());
            ObjectNode toolCall = Json.object();
            toolCall.put("id", Ids.random("call_", 24));
            toolCall.put("type", "function");
            toolCall.set("function", function);
            message.set("tool_calls", Json.array().add(toolCall));
            finishReason = "tool_calls";
        }
        message.putNull("refusal");
        message.set("annotations", Json.array());

        ObjectNode choice = Json.object();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);

        ObjectNode body = Json.object();
        body.put("id", Ids.random("chatcmpl-", 29));
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", context.model());
        body.set("choices", Json.array().add(choice));
        body.set("usage", usage(context, completion));
        body.put("service_tier", "default");
        body.put("system_fingerprint", FINGERPRINT);
        return Json.write(body);
    }

    private static ObjectNode usage(ReplyContext context, Completion completion) {
        ObjectNode promptDetails = Json.object();
        promptDetails.put("cached_tokens", 0);
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = Json.object();
        completionDetails.put("reasoning_tokens", 0);
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", context.inputTokens());
        usage.put("completion_tokens", completion.outputTokens());
        usage.put("total_tokens", context.inputTokens() + completion.outputTokens());
        usage.set("prompt_tokens_details", promptDetails);
        usage.set("completion_tokens_details", completionDetails);
        return usage;
    }

    @Override
    public StreamPlan stream(ReplyContext context, Completion completion) {
        ChunkFactory chunks = new ChunkFactory(context);
        String finishReason;
        ObjectNode first = Json.object();
        first.put("role", "assistant");
        List<String> content = new ArrayList<>();
        if (completion instanceof Completion.Text) {
            first.put("content", "");
            first.putNull("refusal");
            for (String word : completion.pieces()) {
                ObjectNode delta = Json.object();
                delta.put("content", word);
                content.add(chunks.chunk(delta, null));
            }
            finishReason = "stop";
        } else {
            Completion.ToolCall call = (Completion.ToolCall) completion;
            ObjectNode function = Json.object();
            function.put("name", call.name());
            function.put("arguments", "");
            ObjectNode opening = Json.object();
            opening.put("index", 0);
            opening.put("id", Ids.random("call_", 24));
            opening.put("type", "function");
            opening.set("function", function);
            first.putNull("content");
            first.set("tool_calls", Json.array().add(opening));
            first.putNull("refusal");
            for (String fragment : completion.pieces()) {
                ObjectNode argumentDelta = Json.object();
                argumentDelta.put("arguments", fragment);
                ObjectNode toolDelta = Json.object();
                toolDelta.put("index", 0);
                toolDelta.set("function", argumentDelta);
                ObjectNode delta = Json.object();
                delta.set("tool_calls", Json.array().add(toolDelta));
                content.add(chunks.chunk(delta, null));
            }
            finishReason = "tool_calls";
        }
        List<String> closing = new ArrayList<>();
        closing.add(chunks.chunk(Json.object(), finishReason));
        if (context.includeUsage()) {
            closing.add(chunks.usageChunk(usage(context, completion)));
        }
        closing.add(DONE);
        return new StreamPlan(List.of(chunks.chunk(first, null)), content, closing);
    }

    /** Builds the chunks of one stream, which all share an id and a creation time. */
    private static final class ChunkFactory {
        private final ReplyContext context;
        private final String id = Ids.random("chatcmpl-", 29);
        private final long created = Instant.now().getEpochSecond();

        ChunkFactory(ReplyContext context) {
            this.context = context;
        }

        String chunk(ObjectNode delta, String finishReason) {
            ObjectNode choice = Json.object();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            ObjectNode chunk = header();
            chunk.set("choices", Json.array().add(choice));
            if (context.includeUsage()) {
                chunk.putNull("usage");
            }
            return frame(chunk);
        }

        String usageChunk(ObjectNode usage) {
            ObjectNode chunk = header();
            chunk.set("choices", Json.array());
            chunk.set("usage", usage);
            return frame(chunk);
        }

        private ObjectNode header() {
            ObjectNode chunk = Json.object();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created);
            chunk.put("model", context.model());
            chunk.put("service_tier", "default");
            chunk.put("system_fingerprint", FINGERPRINT);
            return chunk;
        }
    }

    private static String frame(ObjectNode data) {
        return "data: " + Json.write(data) + "\n\n";
    }

    @Override
    public String streamError(String requestId) {
        return frame(errorNode(new Rejection(500, "server_error",
                "The server had an error while processing your request. Sorry about that!", null, null)));
    }

    @Override
    public Rejection rateLimit() {
        return new Rejection(429, "requests", "Rate limit reached for requests per min (RPM): Limit 3, Used 3, "
                + "Requested 1. Please try again later.", null, "rate_limit_exceeded");
    }

    @Override
    public Map<String, String> rateLimitResetHeaders(int seconds) {
        return Map.of(
                "x-ratelimit-limit-requests", "3",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", seconds + "s");
    }

    @Override
    public Rejection overloaded() {
        return new Rejection(503, "server_error", "The server is overloaded or not ready yet.", null, null);
    }

    @Override
    public List<String> modelIds() {
        return MODEL_IDS;
    }

    @Override
    public String models() {
        ArrayNode data = Json.array();
        for (String id : MODEL_IDS) {
            ObjectNode model = Json.object();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", 1_715_367_049L);
            model.put("owned_by", "system");
            data.add(model);
        }
        ObjectNode body = Json.object();
        body.put("object", "list");
        body.set("data", data);
        return Json.write(body);
    }

    @Override
    public String countTokens(int inputTokens) {
        throw new UnsupportedOperationException("OpenAI has no count_tokens endpoint");
    }
}
