package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.AnswerShape.Field;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Anthropic Messages. Its translators are the two directions between Anthropic and the common model (OpenAI Chat
 * Completions), in this package with everything they share.
 */
public final class AnthropicDialect implements Dialect {

    public static final AnthropicDialect INSTANCE = new AnthropicDialect();

    private static final String ID = "anthropic";
    private static final String MESSAGES_PATH = "/v1/messages";
    private static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";
    private static final String API_KEY_HEADER = "x-api-key";
    /** The caller's header that marks an Anthropic client, and the version sent when the caller gave none. */
    public static final String VERSION_HEADER = "anthropic-version";
    static final String DEFAULT_VERSION = "2023-06-01";
    private static final List<String> RELAYED_CALLER_HEADERS = List.of(VERSION_HEADER, "anthropic-beta");

    private static final AnswerShape MESSAGE = AnswerShape.of("an Anthropic message",
            Field.text("type", "message"), Field.array("content")).keeping(AnthropicWire.USAGE);
    private static final AnswerShape TOKEN_COUNT = AnswerShape.of("an Anthropic token count",
            Field.integer("input_tokens"));
    private static final AnswerShape EVENT = AnswerShape.of("an Anthropic stream event", Field.text("type", null));

    private final List<Endpoint> endpoints = List.of(
            new Endpoint(this, Operation.CHAT, MESSAGES_PATH, "anthropic-messages", "messages", "messages"),
            new Endpoint(this, Operation.COUNT_TOKENS, COUNT_TOKENS_PATH, "anthropic-count-tokens",
                    "messages.count_tokens", null));

    private static final TokenEstimator ESTIMATOR = new TokenEstimator();

    private AnthropicDialect() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public String apiName() {
        return "messages";
    }

    /** Its paths, or any request carrying {@code anthropic-version} (every Anthropic SDK sends it). */
    @Override
    public boolean recognises(String path, Function<String, String> header) {
        return path != null && path.startsWith(MESSAGES_PATH) || header.apply(VERSION_HEADER) != null;
    }

    /** Anthropic-kind base URLs carry no version segment ({@code https://api.anthropic.com}), as its SDKs expect. */
    @Override
    public String upstreamPath(Endpoint endpoint, String model, boolean stream) {
        Operation operation = endpoint.operation();
        return operation == Operation.COUNT_TOKENS ? COUNT_TOKENS_PATH : MESSAGES_PATH;
    }

    @Override
    public void addCredentialHeaders(String apiKey, BiConsumer<String, String> header) {
        header.accept(API_KEY_HEADER, apiKey);
        header.accept(VERSION_HEADER, DEFAULT_VERSION);
    }

    @Override
    public List<String> relayedCallerHeaders() {
        return RELAYED_CALLER_HEADERS;
    }

    @Override
    public AnswerShape answerShape(Operation operation) {
        return operation == Operation.COUNT_TOKENS ? TOKEN_COUNT : MESSAGE;
    }

    @Override
    public AnswerShape streamEventShape() {
        return EVENT;
    }

    @Override
    public StreamEnding streamEnding() {
        return AnthropicStreamEnding.INSTANCE;
    }

    /** {@code {"input_tokens": n}}, estimated as {@link TokenEstimator} describes. */
    /** {@code usage}, whose {@code input_tokens} leaves out the cache reads and writes counted beside it. */
    @Override
    public TokenCounts answerUsage(JsonNode answer) {
        return answer == null ? TokenCounts.NONE
                : TokenUsage.fromAnthropic(answer.get(AnthropicWire.USAGE)).toCounts();
    }

    @Override
    public StreamUsage streamUsage() {
        return new AnthropicStreamUsage();
    }

    @Override
    public ObjectNode estimatedTokenCount(ObjectNode request) {
        return JsonNodeFactory.instance.objectNode().put("input_tokens", ESTIMATOR.estimate(request));
    }

    @Override
    public ObjectNode errorBody(int status, String message, String code, String requestId) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", errorType(status));
        error.put("message", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return root;
    }

    @Override
    public SseEvent streamError(String errorJson) {
        return SseEvent.named("error", errorJson);
    }

    @Override
    public Translator callerTranslator(TranslationSettings settings) {
        return new AnthropicCallerTranslator(settings);
    }

    @Override
    public Translator upstreamTranslator(TranslationSettings settings) {
        return new OpenAiCallerTranslator(settings);
    }

    /** The {@code error.type} Anthropic uses for a status. */
    public static String errorType(int status) {
        return switch (status) {
            case 400, 405, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    @Override
    public String toString() {
        return ID;
    }
}
