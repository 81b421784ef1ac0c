package io.caravan.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One provider's routes, authentication and exact response shapes. */
interface Wire {

    /** Lower-case provider name: {@code openai} or {@code anthropic}. */
    String id();

    /** What the gateway is configured with, given the server's root URL (no trailing slash). */
    String baseUrl(String root);

    /** The endpoint this method and path address, or {@code null} when the provider has no such route. */
    Endpoint route(String method, String path);

    /** The provider's answer to an unknown route. */
    Rejection notFound(String method, String path);

    /** A 401 when the request does not carry {@code apiKey} the way the provider expects. */
    Optional<Rejection> authenticate(RecordedRequest request, String apiKey);

    RequestValidator validator();

    /** Headers on every response, e.g. the provider's request-id header. */
    Map<String, String> commonHeaders(String requestId);

    /** The provider's JSON error body. */
    String errorBody(Rejection rejection, String requestId);

    /** A complete non-streamed answer. */
    String completion(ReplyContext context, Completion completion);

    /** The same answer as an event stream. */
    StreamPlan stream(ReplyContext context, Completion completion);

    /** The event a stream carries when the provider fails mid-answer. */
    String streamError(String requestId);

    /** The provider's 429 body (status, type, message). */
    Rejection rateLimit();

    /** The provider's rate-limit reset headers for a limit that resets in {@code seconds}. */
    Map<String, String> rateLimitResetHeaders(int seconds);

    /** The provider's "overloaded" answer. */
    Rejection overloaded();

    /** The model ids {@code GET /v1/models} lists. */
    List<String> modelIds();

    /** The {@code GET /v1/models} body. */
    String models();

    /** The {@code count_tokens} body. */
    String countTokens(int inputTokens);

    /** The facts of a request that shape its reply; Gemini reads the model and the stream flag from the path. */
    default ReplyContext context(RecordedRequest request, String requestId) {
        return ReplyContext.of(request, requestId);
    }

    /** The answer to a request the wire {@linkplain #route routed} to {@link Endpoint#EMBEDDINGS}. */
    default String embeddings(RecordedRequest request) {
        throw new UnsupportedOperationException(id() + " serves no embeddings");
    }

    /** The headers of a 429 that resets in {@code seconds}: {@code retry-after} and the provider's reset headers. */
    default Map<String, String> rateLimitHeaders(int seconds) {
        Map<String, String> headers = new LinkedHashMap<>(rateLimitResetHeaders(seconds));
        headers.put("retry-after", Integer.toString(seconds));
        return headers;
    }

    /** The body of a 429 that resets in {@code seconds} (Gemini says the wait in the body, not in a header). */
    default String rateLimitBody(int seconds, String requestId) {
        return errorBody(rateLimit(), requestId);
    }
}
