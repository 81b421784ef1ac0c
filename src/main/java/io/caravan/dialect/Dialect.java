package io.caravan.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One API dialect Caravan speaks, towards callers and towards upstream credentials: the extension point a dialect
 * plug-in implements. Everything the gateway needs to know about a dialect is asked here; no code outside the
 * dialect's own package compares dialects to pick behaviour, it only tells "same dialect" (passed through) from
 * "another dialect" (translated through the common model, OpenAI Chat Completions JSON).
 *
 * <p>Implementations are stateless singletons, registered in {@code io.caravan.dialects.Dialects}, and compared by
 * identity. They are plain Java: no Camel, no Vert.x, so each can be tested on its own.
 */
public interface Dialect {

    /** The lower-case name used in configuration files ({@code kind:}) and logs. */
    String id();

    /**
     * The provider a credential of this kind calls, as the OpenTelemetry GenAI conventions name it
     * ({@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, {@code gcp.gemini}).
     */
    default String providerName() {
        return id();
    }

    /** The caller-facing endpoints of this dialect: the routes the gateway listens on for it. */
    List<Endpoint> endpoints();

    /**
     * Whether a request no route has taken yet (an unknown path, a wrong method, a body over the limit) is this
     * dialect's, so that its error answer comes in the shape its client parses.
     *
     * @param header the request's header by name, {@code null} when absent
     */
    boolean recognises(String path, Function<String, String> header);

    /**
     * Why the gateway cannot serve this well-formed request of one of this dialect's endpoints, or {@code null} when
     * it can. Asked once, before any credential is leased, so that a request no credential could honour is refused
     * with a 400 in the caller's dialect instead of being silently cut down or costing an upstream call.
     *
     * @param request the caller's parsed body (a JSON object, {@code model} already checked)
     */
    default Refusal refusal(Endpoint endpoint, Map<String, Object> request, TranslationSettings settings) {
        return null;
    }

    /**
     * How this dialect's API names the answers it keeps server-side, so that the gateway keeps them too; {@code null}
     * for a dialect whose requests carry their whole conversation.
     */
    default StoredConversations storedConversations() {
        return null;
    }

    // --- the upstream side -----------------------------------------------------------------------------------

    /**
     * The name of this dialect's API in a credential's {@code apis:} list ({@code chat}, {@code messages},
     * {@code responses}): the APIs a credential serves natively, besides its kind's own.
     */
    String apiName();

    /**
     * The kind of credential that can serve this dialect natively: the dialect itself for a provider's main API; the
     * provider's kind for another API of the same provider (OpenAI Responses is served by {@code kind: openai}
     * credentials that list {@code responses} in {@code apis:}). Its upstream side below is asked only for the
     * credentials that list it.
     */
    default Dialect credentialKind() {
        return this;
    }

    /**
     * Whether a credential can be of this dialect ({@code kind:} in the credentials file). One that is another
     * API of a provider ({@link #credentialKind()}) is not a kind: no translator towards it exists, and its callers
     * are served natively by the credentials that list it, or by translation to the common model.
     */
    default boolean servesCredentials() {
        return credentialKind() == this;
    }

    /**
     * The path (and query, where the provider wants one) appended to a credential's base URL for what a caller's
     * endpoint asks ({@link Endpoint#operation()}; for an endpoint of this dialect its very action), as the
     * provider's own SDK builds it.
     *
     * @param model  the model name sent upstream, for a dialect that names it in the path ({@link #modelInBody()})
     * @param stream whether a streamed answer is asked for
     */
    String upstreamPath(Endpoint endpoint, String model, boolean stream);

    /**
     * Whether this dialect's requests name their model (and ask for a stream) in the body, as {@code model} and
     * {@code stream}; a dialect that names both in the path (Gemini: {@code /models/{model}:streamGenerateContent})
     * says {@code false}, and its upstream body is sent without them.
     */
    default boolean modelInBody() {
        return true;
    }

    /**
     * How a streamed answer goes to this dialect's caller: as server-sent events, unless the request asks for
     * another framing its API offers (Gemini without {@code alt=sse}: one JSON array, written as it grows).
     *
     * @param queryParameter the request's query parameter by name, {@code null} when absent
     */
    default StreamFraming streamFraming(Function<String, String> queryParameter) {
        return StreamFraming.SSE;
    }

    /** Sets the headers that authenticate a request with a credential of this dialect. */
    void addCredentialHeaders(String apiKey, BiConsumer<String, String> header);

    /** The caller headers relayed upstream when caller and credential both speak this dialect. */
    List<String> relayedCallerHeaders();

    /** What a whole 2xx answer of this dialect to {@code operation} must look like to be passed on. */
    AnswerShape answerShape(Operation operation);

    /** What the data of one event of this dialect's stream must look like. */
    AnswerShape streamEventShape();

    /** How a stream of this dialect ends, for relaying one unchanged. */
    StreamEnding streamEnding();

    /**
     * The tokens a whole 2xx answer of this dialect cost, as the usage it carries reports them;
     * {@link TokenCounts#NONE} when the answer carries no usage or a malformed one. Never throws. It reads only the
     * top-level fields its {@link #answerShape} keeps ({@link AnswerShape#keeping}), so that an answer passed through
     * byte for byte is not parsed whole for its usage.
     *
     * @param answer the upstream's answer, as it came (before any translation), whole or as
     *               {@link AnswerShape#read} kept it; may be {@code null}
     */
    TokenCounts answerUsage(JsonNode answer);

    /** A fresh reader of the usage one upstream stream of this dialect reports. */
    StreamUsage streamUsage();

    /**
     * A streamed request of this dialect that asks the upstream to report usage, for a request that does not ask
     * yet (OpenAI Chat's {@code stream_options.include_usage}); {@code null} when there is nothing to add, because
     * this dialect's streams always carry usage or the request already asks. The request is never modified: the
     * answer is a copy.
     *
     * @param request the streamed request's parsed body
     */
    default Map<String, Object> withStreamUsage(Map<String, Object> request) {
        return null;
    }

    /**
     * A local estimate answering a {@link Operation#COUNT_TOKENS} request of this dialect, for a model only
     * credentials of other dialects serve (they cannot count this dialect's tokens).
     *
     * @throws UnsupportedOperationException when this dialect has no token counting endpoint
     */
    ObjectNode estimatedTokenCount(ObjectNode request);

    // --- errors ------------------------------------------------------------------------------------------------

    /**
     * The error body a caller of this dialect expects for {@code status}.
     *
     * @param code      a machine-readable code such as {@code model_not_found}, or {@code null}; a dialect without
     *                  codes leaves it out
     * @param requestId the gateway's request id, for a dialect whose errors quote it; may be {@code null}
     */
    ObjectNode errorBody(int status, String message, String code, String requestId);

    /**
     * As {@link #errorBody(int, String, String, String)}, for an answer that tells the caller when to try again
     * ({@code Retry-After} goes with it): a dialect whose errors say so in the body as well (Gemini's
     * {@code RetryInfo}) puts it there.
     *
     * @param retryAfter the wait, or {@code null}
     */
    default ObjectNode errorBody(int status, String message, String code, String requestId, Duration retryAfter) {
        return errorBody(status, message, code, requestId);
    }

    /** An error body (JSON text) framed as this dialect's in-band stream error. */
    SseEvent streamError(String errorJson);

    // --- translation through the common model -------------------------------------------------------------------

    /**
     * The translator for a caller of this dialect served by an upstream speaking the common model (OpenAI Chat
     * Completions), or {@code null} when this dialect is the common model.
     */
    Translator callerTranslator(TranslationSettings settings);

    /**
     * The translator for a caller speaking the common model served by an upstream of this dialect, or {@code null}
     * when this dialect is the common model.
     */
    Translator upstreamTranslator(TranslationSettings settings);
}
