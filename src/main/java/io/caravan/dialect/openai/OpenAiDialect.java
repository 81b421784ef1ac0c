package io.caravan.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.AnswerShape.Field;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * OpenAI Chat Completions, also the common model every translation goes through: its translators are identities
 * ({@code null}), so an OpenAI caller of an OpenAI-compatible credential is passed through and any other pair
 * translates in at most two steps.
 */
public final class OpenAiDialect implements Dialect {

    public static final OpenAiDialect INSTANCE = new OpenAiDialect();

    private static final String ID = "openai";
    private static final String CHAT_PATH = "/v1/chat/completions";
    /** OpenAI-kind base URLs include the version segment ({@code https://api.openai.com/v1}), as OpenAI's SDKs expect. */
    private static final String UPSTREAM_CHAT_PATH = "/chat/completions";
    private static final String EMBEDDINGS_PATH = "/v1/embeddings";
    private static final String UPSTREAM_EMBEDDINGS_PATH = "/embeddings";
    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";
    private static final String STREAM = "stream";
    private static final String STREAM_OPTIONS = "stream_options";
    private static final String INCLUDE_USAGE = "include_usage";
    private static final List<String> RELAYED_CALLER_HEADERS = List.of("openai-beta");

    private static final AnswerShape COMPLETION = AnswerShape.of("an OpenAI chat completion", Field.array("choices"))
            .keeping(ChatUsage.USAGE);
    private static final AnswerShape EMBEDDING_LIST = AnswerShape.of("an OpenAI embedding list",
            Field.text("object", "list"), Field.array("data")).keeping(ChatUsage.USAGE);
    private static final AnswerShape CHUNK = AnswerShape.of("an OpenAI chat completion chunk", Field.array("choices"));

    private final List<Endpoint> endpoints = List.of(
            new Endpoint(this, Operation.CHAT, CHAT_PATH, "openai-chat-completions", "chat.completions", "messages"),
            new Endpoint(this, Operation.EMBED, EMBEDDINGS_PATH, "openai-embeddings", "embeddings", null));

    private OpenAiDialect() {
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
        return "chat";
    }

    /** Never claims a request by its look: OpenAI is the fallback for whatever no other dialect recognises. */
    @Override
    public boolean recognises(String path, Function<String, String> header) {
        return false;
    }

    /**
     * An embeddings request is served only by OpenAI-kind credentials ({@link Operation#EMBED} is never translated):
     * said here, so that a model only other kinds serve is refused as such rather than called unknown.
     */
    @Override
    public Refusal refusal(Endpoint endpoint, Map<String, Object> request, TranslationSettings settings) {
        return endpoint.operation() == Operation.EMBED ? EmbeddingsRequestCheck.untranslatable(request) : null;
    }

    @Override
    public Refusal invalidRequest(Endpoint endpoint, Map<String, Object> request) {
        return endpoint.operation() == Operation.EMBED ? EmbeddingsRequestCheck.invalid(request) : null;
    }

    @Override
    public String upstreamPath(Endpoint endpoint, String model, boolean stream) {
        return switch (endpoint.operation()) {
            case CHAT -> UPSTREAM_CHAT_PATH;
            case EMBED -> UPSTREAM_EMBEDDINGS_PATH;
            case COUNT_TOKENS -> throw new IllegalArgumentException("OpenAI has no COUNT_TOKENS endpoint");
        };
    }

    @Override
    public void addCredentialHeaders(String apiKey, BiConsumer<String, String> header) {
        header.accept(AUTHORIZATION, BEARER + apiKey);
    }

    @Override
    public List<String> relayedCallerHeaders() {
        return RELAYED_CALLER_HEADERS;
    }

    @Override
    public AnswerShape answerShape(Operation operation) {
        return switch (operation) {
            case CHAT -> COMPLETION;
            case EMBED -> EMBEDDING_LIST;
            case COUNT_TOKENS -> throw new IllegalArgumentException("OpenAI has no COUNT_TOKENS answer");
        };
    }

    @Override
    public AnswerShape streamEventShape() {
        return CHUNK;
    }

    @Override
    public StreamEnding streamEnding() {
        return OpenAiStreamEnding.INSTANCE;
    }

    @Override
    public TokenCounts answerUsage(JsonNode answer) {
        return answer == null ? TokenCounts.NONE : ChatUsage.of(answer.get(ChatUsage.USAGE));
    }

    @Override
    public StreamUsage streamUsage() {
        return new ChatStreamUsage();
    }

    /**
     * The request with {@code stream_options.include_usage: true} (its other stream options kept), unless it already
     * asks, is not streamed (OpenAI refuses stream options then), or has stream options that are no object (the
     * upstream's to refuse, as it would without the gateway).
     */
    @Override
    public Map<String, Object> withStreamUsage(Map<String, Object> request) {
        if (!Boolean.TRUE.equals(request.get(STREAM))) {
            return null;
        }
        Object options = request.get(STREAM_OPTIONS);
        if (options != null && !(options instanceof Map)) {
            return null;
        }
        Map<String, Object> asked = new LinkedHashMap<>();
        if (options != null) {
            for (Map.Entry<?, ?> option : ((Map<?, ?>) options).entrySet()) {
                asked.put(String.valueOf(option.getKey()), option.getValue());
            }
        }
        if (Boolean.TRUE.equals(asked.get(INCLUDE_USAGE))) {
            return null;
        }
        asked.put(INCLUDE_USAGE, true);
        Map<String, Object> copy = new LinkedHashMap<>(request);
        copy.put(STREAM_OPTIONS, asked);
        return copy;
    }

    @Override
    public ObjectNode estimatedTokenCount(ObjectNode request) {
        throw new UnsupportedOperationException("OpenAI has no token counting endpoint");
    }

    @Override
    public ObjectNode errorBody(int status, String message, String code, String requestId) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", errorType(status));
        error.putNull("param");
        if (code != null) {
            error.put("code", code);
        } else {
            error.putNull("code");
        }
        return root;
    }

    /** A {@code data:} chunk holding the {@code error} object: OpenAI streams have no event names. */
    @Override
    public SseEvent streamError(String errorJson) {
        return SseEvent.data(errorJson);
    }

    @Override
    public Translator callerTranslator(TranslationSettings settings) {
        return null;
    }

    @Override
    public Translator upstreamTranslator(TranslationSettings settings) {
        return null;
    }

    /** The {@code error.type} OpenAI uses for a status. */
    public static String errorType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    @Override
    public String toString() {
        return ID;
    }
}
