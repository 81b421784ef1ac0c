package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API of Google AI Studio ({@code generativelanguage.googleapis.com}) as its SDKs and Gemini CLI see it:
 * {@code POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse} (server-sent events,
 * each {@code data:} a complete {@code GenerateContentResponse}, CRLF-framed, no terminator), {@code :countTokens},
 * {@code :embedContent}, {@code :batchEmbedContents} and {@code GET /v1beta/models} (the same under {@code /v1}); the
 * key in {@code x-goog-api-key} or {@code ?key=}; errors as {@code google.rpc.Status} objects with the status names.
 *
 * <p>Like the real API it answers function calls with a {@code thoughtSignature} on the call's part, and with
 * {@code thinkingConfig.includeThoughts} a thought part before the text and the signature on the answer's last
 * part. The signatures it issued are remembered for every Gemini fake of the JVM (one Google behind many keys), so
 * the validator can refuse a signature Gemini never made, as the real API does ("Corrupted thought signature.").
 */
final class GeminiWire implements Wire {

    static final String STATUS_INVALID_ARGUMENT = "INVALID_ARGUMENT";
    /** The {@link Rejection#code()} that makes {@link #errorBody} add a {@code BadRequest} detail per message line. */
    static final String FIELD_VIOLATIONS = "BAD_REQUEST";
    /** The {@link Rejection#code()} of an unknown key: Google's {@code ErrorInfo} and {@code LocalizedMessage}. */
    static final String API_KEY_INVALID = "API_KEY_INVALID";
    /** The thought text every thinking answer of the fake carries. */
    static final String THOUGHT = "The caller asked something; I will answer briefly.";
    /** What Google documents for a call whose signature is unknown: the API skips its check for it. */
    static final String SKIP_SIGNATURE_CHECK = "skip_thought_signature_validator";

    private static final Pattern ACTION_PATH = Pattern.compile("/(v1beta|v1)/models/([^/:]+):([A-Za-z]+)");
    private static final Pattern MODELS_PATH = Pattern.compile("/(v1beta|v1)/models");
    private static final String GENERATE = "generateContent";
    private static final String STREAM_GENERATE = "streamGenerateContent";
    private static final String COUNT_TOKENS = "countTokens";
    private static final String EMBED = "embedContent";
    private static final String BATCH_EMBED = "batchEmbedContents";
    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
    private static final String QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure";
    private static final String HELP = "type.googleapis.com/google.rpc.Help";
    private static final String RATE_LIMITS_DOC = "https://ai.google.dev/gemini-api/docs/rate-limits";
    private static final String QUOTA_METRIC = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
    private static final int FREE_TIER_LIMIT = 10;
    /** {@code gemini-embedding-001} answers 3072 numbers by default; the older embedding models 768. */
    private static final int GEMINI_EMBEDDING_DIMENSIONS = 3072;
    private static final int EMBEDDING_DIMENSIONS = 768;

    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536, true,
                    List.of(GENERATE, COUNT_TOKENS, "createCachedContent", "batchGenerateContent")),
            new ModelInfo("gemini-2.5-pro", "Gemini 2.5 Pro", 1048576, 65536, true,
                    List.of(GENERATE, COUNT_TOKENS, "createCachedContent", "batchGenerateContent")),
            new ModelInfo("gemini-3-pro-preview", "Gemini 3 Pro Preview", 1048576, 65536, true,
                    List.of(GENERATE, COUNT_TOKENS, "createCachedContent", "batchGenerateContent")),
            new ModelInfo("gemini-embedding-001", "Gemini Embedding 001", 2048, 1, false,
                    List.of(EMBED, "countTextTokens", COUNT_TOKENS, "asyncBatchEmbedContent")));

    /** Every thought signature a Gemini fake of this JVM has handed out. */
    private static final Set<String> ISSUED_SIGNATURES = ConcurrentHashMap.newKeySet();

    private final RequestValidator validator = new GeminiRequestValidator();

    private record ModelInfo(String id, String displayName, int inputTokenLimit, int outputTokenLimit,
                             boolean thinking, List<String> methods) {
    }

    /** A request path's parts: {@code /v1beta/models/{model}:{action}}, or {@code null} for any other path. */
    record Action(String model, String name) {
        boolean stream() {
            return STREAM_GENERATE.equals(name);
        }

        boolean batchEmbed() {
            return BATCH_EMBED.equals(name);
        }

        boolean embed() {
            return EMBED.equals(name);
        }

        boolean countTokens() {
            return COUNT_TOKENS.equals(name);
        }
    }

    static Action action(String path) {
        Matcher m = ACTION_PATH.matcher(path);
        return m.matches() ? new Action(m.group(2), m.group(3)) : null;
    }

    /** Whether Gemini made this signature (this JVM's fakes issued it), or it is Google's documented dummy. */
    static boolean knownSignature(String signature) {
        return SKIP_SIGNATURE_CHECK.equals(signature) || ISSUED_SIGNATURES.contains(signature);
    }

    @Override
    public String id() {
        return "gemini";
    }

    @Override
    public String baseUrl(String root) {
        return root;
    }

    @Override
    public Endpoint route(String method, String path) {
        if ("GET".equals(method) && MODELS_PATH.matcher(path).matches()) {
            return Endpoint.MODELS;
        }
        Action action = action(path);
        if (!"POST".equals(method) || action == null) {
            return null;
        }
        return switch (action.name()) {
            case GENERATE, STREAM_GENERATE -> Endpoint.COMPLETION;
            case COUNT_TOKENS -> Endpoint.COUNT_TOKENS;
            case EMBED, BATCH_EMBED -> Endpoint.EMBEDDINGS;
            default -> null;
        };
    }

    @Override
    public Rejection notFound(String method, String path) {
        return status(404, "Method not found.");
    }

    /**
     * Google refuses a request without a key as an unidentified caller (403) and an unknown key as an invalid
     * argument (400 {@code API_KEY_INVALID}), not with a 401.
     */
    @Override
    public Optional<Rejection> authenticate(RecordedRequest request, String apiKey) {
        String presented = request.header("x-goog-api-key");
        if (presented == null) {
            presented = queryParameter(request.query(), "key");
        }
        if (presented == null) {
            return Optional.of(status(403, "Method doesn't allow unregistered callers (callers without established "
                    + "identity). Please use API Key or other form of API consumer identity to call this API."));
        }
        if (!presented.equals(apiKey)) {
            return Optional.of(new Rejection(400, STATUS_INVALID_ARGUMENT,
                    "API key not valid. Please pass a valid API key.", null, API_KEY_INVALID));
        }
        return Optional.empty();
    }

    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public RequestValidator validator() {
        return validator;
    }

    /** What generativelanguage.googleapis.com sends on every answer (it has no request-id header). */
    @Override
    public Map<String, String> commonHeaders(String requestId) {
        return Map.of("server", "scaffolding on HTTPServer2", "x-xss-protection", "0",
                "x-content-type-options", "nosniff", "vary", "Origin, X-Origin, Referer");
    }

    @Override
    public String errorBody(Rejection rejection, String requestId) {
        ObjectNode error = errorNode(rejection.status(), rejection.message(), rejection.type());
        if (FIELD_VIOLATIONS.equals(rejection.code())) {
            ArrayNode violations = Json.array();
            for (String line : rejection.message().split("\n")) {
                ObjectNode violation = violations.addObject();
                int at = line.indexOf(" at '");
                if (at >= 0) {
                    violation.put("field", line.substring(at + 5, line.indexOf('\'', at + 5)));
                }
                violation.put("description", line);
            }
            ObjectNode badRequest = Json.object().put("@type", "type.googleapis.com/google.rpc.BadRequest");
            badRequest.set("fieldViolations", violations);
            ((ObjectNode) error.get("error")).putArray("details").add(badRequest);
        } else if (API_KEY_INVALID.equals(rejection.code())) {
            ArrayNode details = ((ObjectNode) error.get("error")).putArray("details");
            ObjectNode info = details.addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                    .put("reason", API_KEY_INVALID).put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            details.addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
                    .put("locale", "en-US").put("message", rejection.message());
        }
        return Json.write(error);
    }

    /** {@code {"error":{"code","message","status"}}} with Google's name for the HTTP status. */
    static String errorJson(int status, String message) {
        return Json.write(errorNode(status, message, statusName(status)));
    }

    private static ObjectNode errorNode(int status, String message, String statusName) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", status).put("message", message).put("status", statusName);
        return body;
    }

    static Rejection status(int status, String message) {
        return new Rejection(status, statusName(status), message, null, null);
    }

    static String statusName(int status) {
        return switch (status) {
            case 400 -> STATUS_INVALID_ARGUMENT;
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    @Override
    public ReplyContext context(RecordedRequest request, String requestId) {
        Action action = action(request.path());
        JsonNode thinking = request.json() == null ? null
                : field(field(request.json(), "generationConfig"), "thinkingConfig");
        boolean includeThoughts = field(thinking, "includeThoughts") != null
                && field(thinking, "includeThoughts").asBoolean(false);
        return new ReplyContext(action == null ? "unknown-model" : action.model(), action != null && action.stream(),
                false, ReplyContext.estimateTokens(request.body()), requestId, includeThoughts);
    }

    /** A field by its JSON name or its proto name (Google's parser takes both), or {@code null}. */
    static JsonNode field(JsonNode object, String camelName) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(camelName);
        if (value == null) {
            value = object.get(GeminiRequestValidator.snake(camelName));
        }
        return value == null || value.isNull() ? null : value;
    }

    @Override
    public String completion(ReplyContext context, Completion completion) {
        String responseId = Ids.random("", 22);
        ArrayNode parts = Json.array();
        if (context.includeThoughts()) {
            parts.addObject().put("text", THOUGHT).put("thought", true);
        }
        if (completion instanceof Completion.Text text) {
            ObjectNode part = parts.addObject().put("text", text.text());
            if (context.includeThoughts()) {
                part.put("thoughtSignature", newSignature());
            }
        } else {
            parts.add(functionCallPart((Completion.ToolCall) completion));
        }
        return Json.write(response(context, responseId, parts, "STOP",
                usage(context, completion.outputTokens())));
    }

    /** Gemini attaches the signature of its thinking to the part of the call. Real AI Studio calls carry no id. */
    private static ObjectNode functionCallPart(Completion.ToolCall call) {
        ObjectNode part = Json.object();
        part.putObject("functionCall").put("name", call.name()).set("args", Json.parse(call.arguments()));
        part.put("thoughtSignature", newSignature());
        return part;
    }

    private static String newSignature() {
        byte[] bytes = ("gemini-fake-signature:" + Ids.random("", 24)).getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(bytes);
        ISSUED_SIGNATURES.add(signature);
        return signature;
    }

    private static ObjectNode response(ReplyContext context, String responseId, ArrayNode parts, String finishReason,
                                       ObjectNode usage) {
        ObjectNode candidate = Json.object();
        ObjectNode content = candidate.putObject("content");
        content.set("parts", parts);
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        ObjectNode body = Json.object();
        body.putArray("candidates").add(candidate);
        body.set("usageMetadata", usage);
        body.put("modelVersion", context.model());
        body.put("responseId", responseId);
        return body;
    }

    /** Running totals, as Gemini puts them on every chunk: candidates exclude thoughts, the total includes them. */
    private static ObjectNode usage(ReplyContext context, int candidateTokens) {
        ObjectNode usage = Json.object();
        int thoughts = context.includeThoughts() ? new Completion.Text(THOUGHT).outputTokens() : 0;
        usage.put("promptTokenCount", context.inputTokens());
        usage.put("candidatesTokenCount", candidateTokens);
        usage.put("totalTokenCount", context.inputTokens() + candidateTokens + thoughts);
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT")
                .put("tokenCount", context.inputTokens());
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        return usage;
    }

    /**
     * One chunk per word; a call comes whole in one chunk (Gemini does not stream arguments). The last chunk carries
     * the finish reason, the final usage and, when thinking, the signature on an empty text part, as Gemini 3 ends.
     */
    @Override
    public StreamPlan stream(ReplyContext context, Completion completion) {
        String responseId = Ids.random("", 22);
        List<String> opening = new ArrayList<>();
        if (context.includeThoughts()) {
            ArrayNode thought = Json.array();
            thought.addObject().put("text", THOUGHT).put("thought", true);
            opening.add(frame(response(context, responseId, thought, null, usage(context, 0))));
        }
        List<String> content = new ArrayList<>();
        List<String> closing = new ArrayList<>();
        if (completion instanceof Completion.Text) {
            int sent = 0;
            for (String word : completion.pieces()) {
                ArrayNode parts = Json.array();
                parts.addObject().put("text", word);
                content.add(frame(response(context, responseId, parts, null, usage(context, ++sent))));
            }
            ArrayNode last = Json.array();
            ObjectNode end = last.addObject().put("text", "");
            if (context.includeThoughts()) {
                end.put("thoughtSignature", newSignature());
            }
            closing.add(frame(response(context, responseId, last, "STOP", usage(context, completion.outputTokens()))));
        } else {
            ArrayNode parts = Json.array().add(functionCallPart((Completion.ToolCall) completion));
            closing.add(frame(response(context, responseId, parts, "STOP", usage(context, completion.outputTokens()))));
        }
        return new StreamPlan(opening, content, closing);
    }

    /** Google frames its server-sent events with CRLF. */
    static String frame(JsonNode chunk) {
        return "data: " + Json.write(chunk) + "\r\n\r\n";
    }

    /** Gemini has no event type: an error mid-stream is a chunk of its own holding the error object. */
    @Override
    public String streamError(String requestId) {
        return frame(Json.parse(errorBody(overloaded(), requestId)));
    }

    @Override
    public Rejection rateLimit() {
        return status(429, "You exceeded your current quota, please check your plan and billing details. For more "
                + "information on this error, head to: " + RATE_LIMITS_DOC + ". To monitor your current usage, head "
                + "to: https://ai.dev/rate-limit. ");
    }

    /** AI Studio sends no {@code retry-after}: the wait is only in the body. */
    @Override
    public Map<String, String> rateLimitResetHeaders(int seconds) {
        return Map.of();
    }

    @Override
    public Map<String, String> rateLimitHeaders(int seconds) {
        return Map.of();
    }

    /** The quota that ran out ({@code QuotaFailure}), a link ({@code Help}) and the wait ({@code RetryInfo}). */
    @Override
    public String rateLimitBody(int seconds, String requestId) {
        ObjectNode body = errorNode(429, rateLimit().message() + "\n* Quota exceeded for metric: " + QUOTA_METRIC
                + ", limit: " + FREE_TIER_LIMIT + ", model: gemini-2.5-flash\nPlease retry in " + seconds + ".0s.",
                "RESOURCE_EXHAUSTED");
        ArrayNode details = ((ObjectNode) body.get("error")).putArray("details");
        ObjectNode quota = details.addObject().put("@type", QUOTA_FAILURE);
        ObjectNode violation = quota.putArray("violations").addObject()
                .put("quotaMetric", QUOTA_METRIC).put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        violation.putObject("quotaDimensions").put("location", "global").put("model", "gemini-2.5-flash");
        violation.put("quotaValue", Integer.toString(FREE_TIER_LIMIT));
        details.addObject().put("@type", HELP).putArray("links").addObject()
                .put("description", "Learn more about Gemini API quotas").put("url", RATE_LIMITS_DOC);
        details.addObject().put("@type", RETRY_INFO).put("retryDelay", seconds + "s");
        return Json.write(body);
    }

    @Override
    public Rejection overloaded() {
        return status(503, "The model is overloaded. Please try again later.");
    }

    @Override
    public List<String> modelIds() {
        return MODELS.stream().map(ModelInfo::id).toList();
    }

    @Override
    public String models() {
        ArrayNode models = Json.array();
        for (ModelInfo info : MODELS) {
            ObjectNode model = models.addObject();
            model.put("name", "models/" + info.id());
            model.put("version", "001");
            model.put("displayName", info.displayName());
            model.put("inputTokenLimit", info.inputTokenLimit());
            model.put("outputTokenLimit", info.outputTokenLimit());
            ArrayNode methods = model.putArray("supportedGenerationMethods");
            info.methods().forEach(methods::add);
            if (info.thinking()) {
                model.put("temperature", 1).put("topP", 0.95).put("topK", 64).put("maxTemperature", 2)
                        .put("thinking", true);
            }
        }
        ObjectNode body = Json.object();
        body.set("models", models);
        return Json.write(body);
    }

    @Override
    public String countTokens(int inputTokens) {
        ObjectNode body = Json.object().put("totalTokens", inputTokens);
        body.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", inputTokens);
        return Json.write(body);
    }

    // ---- embeddings ------------------------------------------------------------------------------------------

    /**
     * {@code {"embedding":{"values":[..]}}} or, for a batch, {@code {"embeddings":[{"values":[..]},..]}}: numbers
     * that depend only on the model and the text, so a test can compare what two paths produced.
     */
    @Override
    public String embeddings(RecordedRequest request) {
        Action action = action(request.path());
        ObjectNode body = Json.object();
        if (action.batchEmbed()) {
            ArrayNode embeddings = body.putArray("embeddings");
            for (JsonNode one : request.json().path("requests")) {
                embeddings.add(embedding(action.model(), one));
            }
        } else {
            body.set("embedding", embedding(action.model(), request.json()));
        }
        return Json.write(body);
    }

    private static ObjectNode embedding(String model, JsonNode embedRequest) {
        StringBuilder text = new StringBuilder();
        JsonNode content = field(embedRequest, "content");
        if (content != null) {
            for (JsonNode part : content.path("parts")) {
                text.append(part.path("text").asText(""));
            }
        }
        JsonNode requested = field(embedRequest, "outputDimensionality");
        int dimensions = requested != null ? requested.asInt()
                : model.startsWith("gemini-embedding") ? GEMINI_EMBEDDING_DIMENSIONS : EMBEDDING_DIMENSIONS;
        return Json.object().set("values", vector(model + "\n" + text, dimensions));
    }

    /** A deterministic unit vector for this text. */
    static ArrayNode vector(String seedText, int dimensions) {
        Random random = new Random(seedText.hashCode());
        double[] values = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            values[i] = random.nextGaussian();
            norm += values[i] * values[i];
        }
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        ArrayNode array = Json.array();
        for (double value : values) {
            array.add((float) (value * scale));
        }
        return array;
    }
}
