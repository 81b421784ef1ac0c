package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.AnswerShape.Field;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.Operation;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamFraming;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Gemini API of Google AI Studio ({@code generativelanguage.googleapis.com}). Unlike the other dialects it names
 * the model, and whether the answer is streamed, in the path ({@code /v1beta/models/{model}:streamGenerateContent}),
 * so its bodies carry neither ({@link #modelInBody()}); a streamed answer is server-sent events with {@code alt=sse},
 * otherwise one JSON array. Its errors are {@code google.rpc.Status} objects with the status's name.
 */
public final class GeminiDialect implements Dialect {

    private static final String ID = "gemini";
    /** The API version the official SDKs and Gemini CLI call; {@code /v1} is served the same. */
    private static final String UPSTREAM_VERSION = "/v1beta";
    private static final List<String> VERSIONS = List.of("/v1beta", "/v1");
    private static final String MODELS = "/models/";
    static final String GENERATE = "generateContent";
    static final String STREAM_GENERATE = "streamGenerateContent";
    static final String COUNT_TOKENS = "countTokens";
    static final String EMBED = "embedContent";
    static final String BATCH_EMBED = "batchEmbedContents";
    private static final String SSE_QUERY = "?alt=sse";
    private static final String ALT = "alt";
    private static final String ALT_SSE = "sse";
    private static final String API_KEY_HEADER = "x-goog-api-key";
    /** The header every Google client library sends (its name and version): it marks a Gemini caller. */
    public static final String API_CLIENT_HEADER = "x-goog-api-client";

    /** A blocked prompt is answered without candidates (only {@code promptFeedback}): still an answer to pass on. */
    private static final AnswerShape GENERATE_RESPONSE = AnswerShape.ofAny("a Gemini GenerateContentResponse",
            Field.array(GeminiWire.CANDIDATES), Field.object(GeminiWire.PROMPT_FEEDBACK))
            .keeping(GeminiWire.USAGE_METADATA);
    private static final AnswerShape TOKEN_COUNT = AnswerShape.of("a Gemini token count",
            Field.integer(GeminiWire.TOTAL_TOKENS));
    /** One embedding ({@code embedding}) or a batch ({@code embeddings}): the endpoint decides which is asked. */
    private static final AnswerShape EMBEDDINGS = AnswerShape.ofAny("a Gemini embedding response",
            Field.object(GeminiWire.EMBEDDING), Field.array(GeminiWire.EMBEDDINGS));
    /** A stream chunk: a GenerateContentResponse, which a blocked prompt sends without candidates. */
    private static final AnswerShape CHUNK = AnswerShape.ofAny("a Gemini GenerateContentResponse chunk",
            Field.array(GeminiWire.CANDIDATES), Field.object(GeminiWire.PROMPT_FEEDBACK),
            Field.object(GeminiWire.USAGE_METADATA));

    /** Made after the constants above, which its endpoints read. */
    public static final GeminiDialect INSTANCE = new GeminiDialect();

    private final List<Endpoint> endpoints = declareEndpoints();

    private GeminiDialect() {
    }

    private List<Endpoint> declareEndpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (String version : VERSIONS) {
            String prefix = version + MODELS + Endpoint.MODEL_ACTION;
            String route = "gemini" + (version.equals(UPSTREAM_VERSION) ? "" : "-" + version.substring(1)) + "-";
            all.add(new Endpoint(this, Operation.CHAT, prefix + GENERATE, route + "generate-content",
                    "models.generateContent", GeminiWire.CONTENTS, false));
            all.add(new Endpoint(this, Operation.CHAT, prefix + STREAM_GENERATE, route + "stream-generate-content",
                    "models.streamGenerateContent", GeminiWire.CONTENTS, true));
            all.add(new Endpoint(this, Operation.COUNT_TOKENS, prefix + COUNT_TOKENS, route + "count-tokens",
                    "models.countTokens", null, false));
            all.add(new Endpoint(this, Operation.EMBED, prefix + EMBED, route + "embed-content",
                    "models.embedContent", null, false));
            all.add(new Endpoint(this, Operation.EMBED, prefix + BATCH_EMBED, route + "batch-embed-contents",
                    "models.batchEmbedContents", "requests", false));
        }
        return List.copyOf(all);
    }

    @Override
    public String id() {
        return ID;
    }

    /** The GenAI conventions' name for the Gemini API of Google AI Studio. */
    @Override
    public String providerName() {
        return "gcp.gemini";
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public String apiName() {
        return "generate-content";
    }

    /** Its versioned paths, or any request carrying a Google key header or client header. */
    @Override
    public boolean recognises(String path, Function<String, String> header) {
        if (header.apply(API_KEY_HEADER) != null || header.apply(API_CLIENT_HEADER) != null) {
            return true;
        }
        return path != null && (path.startsWith(UPSTREAM_VERSION + "/")
                || path.startsWith("/v1/models/") && path.indexOf(':') > 0);
    }

    @Override
    public Refusal refusal(Endpoint endpoint, Map<String, Object> request, TranslationSettings settings) {
        return endpoint.operation() == Operation.CHAT
                ? GeminiRequestCheck.refusal(request, settings.omitUnservableTools()) : null;
    }

    @Override
    public boolean modelInBody() {
        return false;
    }

    @Override
    public StreamFraming streamFraming(Function<String, String> queryParameter) {
        return ALT_SSE.equals(queryParameter.apply(ALT)) ? StreamFraming.SSE : StreamFraming.JSON_ARRAY;
    }

    /** Gemini-kind base URLs carry no version ({@code https://generativelanguage.googleapis.com}), as its SDKs expect. */
    @Override
    public String upstreamPath(Endpoint endpoint, String model, boolean stream) {
        String action = switch (endpoint.operation()) {
            case CHAT -> stream ? STREAM_GENERATE + SSE_QUERY : GENERATE;
            case COUNT_TOKENS -> COUNT_TOKENS;
            // One embedding or a batch: only a Gemini caller asks either (embeddings are never translated).
            case EMBED -> endpoint.dialect() == this ? endpoint.action() : EMBED;
        };
        return UPSTREAM_VERSION + MODELS + model + ":" + action;
    }

    @Override
    public void addCredentialHeaders(String apiKey, BiConsumer<String, String> header) {
        header.accept(API_KEY_HEADER, apiKey);
    }

    @Override
    public List<String> relayedCallerHeaders() {
        return List.of();
    }

    @Override
    public AnswerShape answerShape(Operation operation) {
        return switch (operation) {
            case CHAT -> GENERATE_RESPONSE;
            case COUNT_TOKENS -> TOKEN_COUNT;
            case EMBED -> EMBEDDINGS;
        };
    }

    @Override
    public AnswerShape streamEventShape() {
        return CHUNK;
    }

    @Override
    public StreamEnding streamEnding() {
        return GeminiStreamEnding.INSTANCE;
    }

    @Override
    public TokenCounts answerUsage(JsonNode answer) {
        return answer == null ? TokenCounts.NONE : GeminiUsage.counts(answer.get(GeminiWire.USAGE_METADATA));
    }

    @Override
    public StreamUsage streamUsage() {
        return new GeminiStreamUsage();
    }

    @Override
    public ObjectNode estimatedTokenCount(ObjectNode request) {
        return JsonTrees.object().put(GeminiWire.TOTAL_TOKENS, GeminiTokenEstimate.estimate(request));
    }

    @Override
    public ObjectNode errorBody(int status, String message, String code, String requestId) {
        return errorBody(status, message, null);
    }

    @Override
    public ObjectNode errorBody(int status, String message, String code, String requestId, Duration retryAfter) {
        return errorBody(status, message, retryAfter);
    }

    /**
     * Google's error object; a rate limit says how long to wait as Google's own do, in a {@code RetryInfo} detail.
     *
     * @param retryDelay the wait, or {@code null}
     */
    public static ObjectNode errorBody(int status, String message, Duration retryDelay) {
        ObjectNode root = JsonTrees.object();
        ObjectNode error = root.putObject(GeminiWire.ERROR);
        error.put(GeminiWire.CODE, status);
        error.put(GeminiWire.MESSAGE, message);
        error.put(GeminiWire.STATUS, GoogleStatus.of(status));
        if (retryDelay != null) {
            long millis = Math.max(0, retryDelay.toMillis());
            String seconds = millis % 1000 == 0 ? Long.toString(millis / 1000)
                    : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
            error.putArray(GeminiWire.DETAILS).addObject()
                    .put(GeminiWire.TYPE_URL, GeminiWire.RETRY_INFO_TYPE)
                    .put(GeminiWire.RETRY_DELAY, seconds + "s");
        }
        return root;
    }

    /** Gemini streams carry an error as a chunk of its own: {@code data: {"error": {…}}}. */
    @Override
    public SseEvent streamError(String errorJson) {
        return SseEvent.data(errorJson);
    }

    @Override
    public Translator callerTranslator(TranslationSettings settings) {
        return new GeminiCallerTranslator(settings);
    }

    @Override
    public Translator upstreamTranslator(TranslationSettings settings) {
        return new GeminiUpstreamTranslator(settings);
    }

    @Override
    public String toString() {
        return ID;
    }
}
