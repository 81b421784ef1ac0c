package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.AnswerShape.Field;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.Operation;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StoredConversations;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.anthropic.AnthropicDialect;
import io.caravan.dialect.openai.OpenAiDialect;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The OpenAI Responses API ({@code POST /v1/responses}, and {@code POST /v1/responses/input_tokens}, its token
 * count), what Codex CLI and the newest OpenAI SDK helpers speak. Another API of OpenAI, not a kind of credential of
 * its own ({@link #credentialKind()}): a {@code kind: openai} credential that lists {@code responses} in
 * {@code apis:} (api.openai.com does) is sent the request unchanged, Codex's own item and tool types included; any
 * other credential serves it by translation to the common model (Chat Completions), and through it an Anthropic
 * one. What Chat Completions cannot carry is refused up front ({@link ResponsesRequestCheck}) unless a native
 * credential serves the model. A count for a model no native credential serves is estimated locally.
 */
public final class ResponsesDialect implements Dialect {

    public static final ResponsesDialect INSTANCE = new ResponsesDialect();

    private static final String ID = "responses";
    private static final String RESPONSES_PATH = "/v1/responses";
    /** OpenAI-kind base URLs include the version segment, as for Chat Completions. */
    private static final String OBJECT_INPUT_TOKENS = "response.input_tokens";
    private static final String UPSTREAM_RESPONSES_PATH = "/responses";
    private static final String UPSTREAM_INPUT_TOKENS_PATH = UPSTREAM_RESPONSES_PATH + "/input_tokens";
    /**
     * Relayed to a native credential: the beta opt-in, and the session and conversation ids Codex sends, by which
     * OpenAI keeps one conversation's requests on the same prompt cache.
     */
    private static final List<String> RELAYED_CALLER_HEADERS = List.of("openai-beta", "session_id", "conversation_id");
    private static final AnswerShape RESPONSE = AnswerShape.of("an OpenAI response",
            Field.text("object", "response"), Field.array("output")).keeping(ResponsesWire.USAGE);
    private static final AnswerShape INPUT_TOKENS = AnswerShape.of("an OpenAI input token count",
            Field.text(ResponsesWire.OBJECT, OBJECT_INPUT_TOKENS), Field.integer("input_tokens"));
    private static final AnswerShape EVENT = AnswerShape.of("an OpenAI Responses stream event", Field.text("type", null));
    /** openai-java's {@code responses().inputTokens().count(…)}; a POST, so never taken for a response id. */
    private static final String INPUT_TOKENS_PATH = RESPONSES_PATH + "/input_tokens";
    /**
     * For the estimate's translation only: the settings steer the Anthropic token limit and thinking budget, and
     * the estimate counts neither.
     */
    private static final TranslationSettings ESTIMATE_SETTINGS = new TranslationSettings(1,
            TranslationSettings.MIN_THINKING_BUDGET, TranslationSettings.MIN_THINKING_BUDGET,
            TranslationSettings.MIN_THINKING_BUDGET);

    private final List<Endpoint> endpoints = List.of(
            new Endpoint(this, Operation.CHAT, RESPONSES_PATH, "openai-responses", "responses", null),
            new Endpoint(this, Operation.COUNT_TOKENS, INPUT_TOKENS_PATH, "openai-responses-input-tokens",
                    "responses.input_tokens", null));

    private ResponsesDialect() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Its path and everything under it ({@code /v1/responses/{id}}, which has no route yet: a 404 in its shape). */
    @Override
    public boolean recognises(String path, Function<String, String> header) {
        return path != null && (path.equals(RESPONSES_PATH) || path.startsWith(RESPONSES_PATH + "/"));
    }

    @Override
    public Refusal refusal(Endpoint endpoint, Map<String, Object> request, TranslationSettings settings) {
        return ResponsesRequestCheck.refusal(request, settings.omitUnservableTools());
    }

    @Override
    public StoredConversations storedConversations() {
        return ResponsesConversations.INSTANCE;
    }

    @Override
    public String apiName() {
        return ID;
    }

    @Override
    public Dialect credentialKind() {
        return OpenAiDialect.INSTANCE;
    }

    @Override
    public String upstreamPath(Endpoint endpoint, String model, boolean stream) {
        Operation operation = endpoint.operation();
        return operation == Operation.COUNT_TOKENS ? UPSTREAM_INPUT_TOKENS_PATH : UPSTREAM_RESPONSES_PATH;
    }

    /** The same bearer key as OpenAI's Chat Completions: it is the same credential. */
    @Override
    public void addCredentialHeaders(String apiKey, BiConsumer<String, String> header) {
        OpenAiDialect.INSTANCE.addCredentialHeaders(apiKey, header);
    }

    @Override
    public List<String> relayedCallerHeaders() {
        return RELAYED_CALLER_HEADERS;
    }

    @Override
    public AnswerShape answerShape(Operation operation) {
        return operation == Operation.COUNT_TOKENS ? INPUT_TOKENS : RESPONSE;
    }

    @Override
    public AnswerShape streamEventShape() {
        return EVENT;
    }

    @Override
    public StreamEnding streamEnding() {
        return ResponsesStreamEnding.INSTANCE;
    }

    /**
     * {@code {"object": "response.input_tokens", "input_tokens": n}}: the request as the common model sees it, then as
     * an Anthropic request, counted by the Anthropic estimator, the one the gateway has ({@code TokenEstimator}: a
     * heuristic that errs high). Asked for a model no credential with the Responses API serves; native credentials
     * count their own.
     */
    /** A whole answer is the response object itself, its {@code usage} at the top. */
    @Override
    public TokenCounts answerUsage(JsonNode answer) {
        return ResponsesUsage.ofResponse(answer);
    }

    @Override
    public StreamUsage streamUsage() {
        return new ResponsesStreamUsage();
    }

    @Override
    public ObjectNode estimatedTokenCount(ObjectNode request) {
        String model = JsonTrees.text(request, ResponsesWire.MODEL);
        ObjectNode chat = new ResponsesToChatRequest().translate(request, model);
        ObjectNode anthropic = AnthropicDialect.INSTANCE.upstreamTranslator(ESTIMATE_SETTINGS).request(chat, model);
        JsonNode count = AnthropicDialect.INSTANCE.estimatedTokenCount(anthropic).get(ResponsesWire.INPUT_TOKENS);
        return JsonTrees.object().put(ResponsesWire.OBJECT, OBJECT_INPUT_TOKENS)
                .put(ResponsesWire.INPUT_TOKENS, count.asLong());
    }

    /** The Responses API answers errors in the Chat Completions shape, {@code {"error":{message,type,param,code}}}. */
    @Override
    public ObjectNode errorBody(int status, String message, String code, String requestId) {
        // The Responses API answers errors exactly as Chat Completions does.
        return OpenAiDialect.INSTANCE.errorBody(status, message, code, requestId);
    }

    /**
     * A {@code response.failed} event carrying the error, numbered 0: the gateway only frames an in-band error
     * without a stream's state ({@link io.caravan.dialect.StreamTranslator#cutShort}) when nothing of the answer has
     * been sent, so it is the first event of its stream.
     */
    @Override
    public SseEvent streamError(String errorJson) {
        return new ChatToResponsesStream(null, IdGenerator.random(), Clock.systemUTC())
                .failedWith(JsonTrees.parseOrNull(errorJson));
    }

    @Override
    public Translator callerTranslator(TranslationSettings settings) {
        return new ResponsesCallerTranslator();
    }

    /** Nothing is translated towards this dialect: only the credentials that list it are sent its requests. */
    @Override
    public Translator upstreamTranslator(TranslationSettings settings) {
        return null;
    }

    @Override
    public String toString() {
        return ID;
    }
}
