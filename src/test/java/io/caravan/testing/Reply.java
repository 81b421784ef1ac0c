package io.caravan.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the fake upstream answers to one request. Immutable; the modifiers ({@link #paced}, {@link #delayed},
 * {@link #withHeader}) return new instances.
 *
 * <p>Content replies ({@link #text}, {@link #toolCall}) stream when the request says {@code "stream": true} and
 * answer a single JSON document otherwise. The stream-only behaviours ({@link #dropAfter}, {@link #stallAfter},
 * {@link #headersThenHang}, {@link #streamErrorAfter}, {@link #endAfter}, {@link #textWithoutLastEvent},
 * {@link #malformedEventAfter}) always answer with an event stream. Error replies and
 * {@link #hang} apply to any endpoint; {@link #countTokens} applies only to {@code /v1/messages/count_tokens}.
 */
public final class Reply {

    enum Kind {
        TEXT, TOOL_CALL, COUNT_TOKENS,
        RAW_ERROR, RATE_LIMITED, RATE_LIMITED_NO_HINT, HTML, OVERLOADED,
        DROP_AFTER, STALL_AFTER, STREAM_ERROR_AFTER, HEADERS_THEN_HANG, HANG,
        END_AFTER, TEXT_WITHOUT_LAST_EVENT, MALFORMED_EVENT_AFTER,
        OVERSIZED, OVERSIZED_UNDECLARED, UNTERMINATED_LINE_AFTER, STREAM_ERROR_FIRST
    }

    /** Which requests a reply may answer. */
    enum Scope { COMPLETION, COUNT_TOKENS, ANY }

    private final Kind kind;
    private final String text;
    private final String toolName;
    private final String toolArguments;
    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final int count;
    private final Duration pace;
    private final Duration delay;

    private Reply(Kind kind, String text, String toolName, String toolArguments, int status, String body,
                  Map<String, String> headers, int count, Duration pace, Duration delay) {
        this.kind = kind;
        this.text = text;
        this.toolName = toolName;
        this.toolArguments = toolArguments;
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
        this.count = count;
        this.pace = pace;
        this.delay = delay;
    }

    private static Reply of(Kind kind) {
        return new Reply(kind, null, null, null, 0, null, Map.of(), 0, Duration.ZERO, Duration.ZERO);
    }

    private Reply withText(String value) {
        return new Reply(kind, value, toolName, toolArguments, status, body, headers, count, pace, delay);
    }

    private Reply withCount(int value) {
        return new Reply(kind, text, toolName, toolArguments, status, body, headers, value, pace, delay);
    }

    private Reply withStatus(int value) {
        return new Reply(kind, text, toolName, toolArguments, value, body, headers, count, pace, delay);
    }

    // ---- content -------------------------------------------------------------------------------------------

    /** A successful answer with this text; streamed one word per chunk. */
    public static Reply text(String text) {
        return of(Kind.TEXT).withText(Objects.requireNonNull(text, "text"));
    }

    /**
     * A successful answer that calls one tool. {@code argumentsJson} must be a JSON object; streams split it into
     * a few fragments.
     */
    public static Reply toolCall(String name, String argumentsJson) {
        Objects.requireNonNull(name, "name");
        if (!Json.parse(argumentsJson).isObject()) {
            throw new IllegalArgumentException("tool arguments must be a JSON object: " + argumentsJson);
        }
        return new Reply(Kind.TOOL_CALL, null, name, argumentsJson, 0, null, Map.of(), 0, Duration.ZERO,
                Duration.ZERO);
    }

    /** {@code {"input_tokens": n}} for {@code POST /v1/messages/count_tokens}. */
    public static Reply countTokens(int n) {
        return of(Kind.COUNT_TOKENS).withCount(n);
    }

    // ---- errors --------------------------------------------------------------------------------------------

    /** A verbatim error: this status, body and headers ({@code content-type} defaults to JSON). */
    public static Reply error(int status, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
            all.put("content-type", "application/json");
        }
        all.putAll(headers);
        return new Reply(Kind.RAW_ERROR, null, null, null, status, Objects.requireNonNull(body, "body"), all, 0,
                Duration.ZERO, Duration.ZERO);
    }

    /** An error with OpenAI's body {@code {"error":{"message","type","param","code"}}}, whatever the fake's dialect. */
    public static Reply openAiError(int status, String type, String message) {
        return error(status, OpenAiWire.errorJson(new Rejection(status, type, message, null, null)), Map.of());
    }

    /** An error with Anthropic's body {@code {"type":"error","error":{..},"request_id"}}, whatever the fake's dialect. */
    public static Reply anthropicError(int status, String type, String message) {
        return error(status, AnthropicWire.errorJson(new Rejection(status, type, message, null, null),
                Ids.requestId()), Map.of());
    }

    /**
     * An error with Google's body {@code {"error":{"code","message","status"}}}, the status named after the HTTP
     * status as Google names them, whatever the fake's dialect.
     */
    public static Reply geminiError(int status, String message) {
        return error(status, GeminiWire.errorJson(status, message), Map.of());
    }

    /**
     * 429 in the fake's dialect with {@code retry-after: seconds} and the provider's reset header
     * ({@code x-ratelimit-reset-requests: <n>s} or {@code anthropic-ratelimit-requests-reset: <RFC 3339>}); Gemini
     * sends no header but {@code RetryInfo.retryDelay: "<n>s"} in its body, as Google AI Studio does.
     */
    public static Reply rateLimited(int retryAfterSeconds) {
        return of(Kind.RATE_LIMITED).withCount(retryAfterSeconds).withStatus(429);
    }

    /** 429 in the fake's dialect with neither {@code retry-after} nor any reset header. */
    public static Reply rateLimitedNoHint() {
        return of(Kind.RATE_LIMITED_NO_HINT).withStatus(429);
    }

    /** A Cloudflare-style HTML error page with this status and {@code content-type: text/html}. */
    public static Reply html(int status) {
        return of(Kind.HTML).withStatus(status);
    }

    /**
     * The provider is overloaded: Anthropic answers 529 {@code overloaded_error}; OpenAI answers 503
     * {@code server_error} ("The server is overloaded or not ready yet.").
     */
    public static Reply overloaded() {
        return of(Kind.OVERLOADED);
    }

    // ---- broken streams ------------------------------------------------------------------------------------

    /** A stream that sends its opening events and {@code chunks} content chunks, then closes the TCP connection. */
    public static Reply dropAfter(int chunks) {
        return of(Kind.DROP_AFTER).withCount(requireNonNegative(chunks));
    }

    /** A stream that sends its opening events and {@code chunks} content chunks, then goes silent, connection open. */
    public static Reply stallAfter(int chunks) {
        return of(Kind.STALL_AFTER).withCount(requireNonNegative(chunks));
    }

    /**
     * A stream that sends its opening events and {@code chunks} content chunks, then the provider's in-band error
     * (Anthropic {@code event: error} overloaded_error; OpenAI {@code data: {"error":{..}}}) and ends without a
     * terminator.
     */
    public static Reply streamErrorAfter(int chunks) {
        return of(Kind.STREAM_ERROR_AFTER).withCount(requireNonNegative(chunks));
    }

    /** Status 200 and event-stream headers, then nothing, connection open. */
    public static Reply headersThenHang() {
        return of(Kind.HEADERS_THEN_HANG);
    }

    /** Reads the request and never answers, not even headers, until the caller goes away. */
    public static Reply hang() {
        return of(Kind.HANG);
    }

    /**
     * A stream that sends its opening events and {@code chunks} content chunks, then ends the response normally
     * (chunked encoding's last chunk): no finish chunk, no {@code message_delta}, no terminator.
     */
    public static Reply endAfter(int chunks) {
        return of(Kind.END_AFTER).withCount(requireNonNegative(chunks));
    }

    /**
     * The stream of {@link #text} without its very last event, then a normal end: an OpenAI stream keeps its finish
     * chunk (and usage chunk) but loses {@code [DONE]}; an Anthropic stream keeps {@code message_delta} but loses
     * {@code message_stop}.
     */
    public static Reply textWithoutLastEvent(String text) {
        return of(Kind.TEXT_WITHOUT_LAST_EVENT).withText(Objects.requireNonNull(text, "text"));
    }

    /**
     * A stream that sends its opening events and {@code chunks} content chunks, then an event whose data is a JSON
     * object cut off in the middle, then the rest of a normal stream, terminator included.
     */
    public static Reply malformedEventAfter(int chunks) {
        return of(Kind.MALFORMED_EVENT_AFTER).withCount(requireNonNegative(chunks));
    }

    // ---- oversized answers ---------------------------------------------------------------------------------

    /**
     * Status 200, {@code content-type: application/json} and a JSON object of about {@code bytes} bytes, sent whole
     * with its {@code content-length}.
     */
    public static Reply oversized(int bytes) {
        return of(Kind.OVERSIZED).withCount(requireNonNegative(bytes));
    }

    /**
     * Status 200 and {@code content-type: application/json}, then a JSON object chunked in 4 KiB writes without a
     * {@code content-length}; after {@code bytes} bytes it goes silent, connection open, the object never closed.
     */
    public static Reply oversizedUndeclared(int bytes) {
        return of(Kind.OVERSIZED_UNDECLARED).withCount(requireNonNegative(bytes));
    }

    /**
     * A stream that sends its opening events and {@code chunks} content chunks (none of them with {@code chunks} =
     * -1: not even the opening events), then {@code data: } and {@code lineBytes} bytes in 4 KiB writes that never
     * end the line, then goes silent, connection open.
     */
    public static Reply unterminatedLineAfter(int chunks, int lineBytes) {
        if (chunks < -1) {
            throw new IllegalArgumentException("chunks must be >= -1: " + chunks);
        }
        return new Reply(Kind.UNTERMINATED_LINE_AFTER, null, null, null, requireNonNegative(lineBytes), null,
                Map.of(), chunks, Duration.ZERO, Duration.ZERO);
    }

    /**
     * A stream whose first and only event is the provider's in-band error (Anthropic {@code event: error}
     * overloaded_error; OpenAI {@code data: {"error":{..}}} server_error), without a terminator.
     */
    public static Reply streamErrorFirst() {
        return of(Kind.STREAM_ERROR_FIRST);
    }

    private static int requireNonNegative(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0: " + chunks);
        }
        return chunks;
    }

    // ---- modifiers -----------------------------------------------------------------------------------------

    /**
     * Streams send one event every {@code perChunk} (each written and flushed on its own); a dropping stream
     * closes one interval after its last chunk. Has no effect on single-document answers; see {@link #delayed}.
     */
    public Reply paced(Duration perChunk) {
        return new Reply(kind, text, toolName, toolArguments, status, body, headers, count,
                requireNonNegative(perChunk), delay);
    }

    /** Waits this long before sending anything, status line included. */
    public Reply delayed(Duration beforeHeaders) {
        return new Reply(kind, text, toolName, toolArguments, status, body, headers, count, pace,
                requireNonNegative(beforeHeaders));
    }

    /** Adds (or replaces) a response header. Ignored by {@link #hang}. */
    public Reply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.keySet().removeIf(name::equalsIgnoreCase);
        all.put(name, value);
        return new Reply(kind, text, toolName, toolArguments, status, body, all, count, pace, delay);
    }

    private static Duration requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        return d;
    }

    // ---- read by the fake ----------------------------------------------------------------------------------

    Kind kind() {
        return kind;
    }

    Scope scope() {
        return switch (kind) {
            case COUNT_TOKENS -> Scope.COUNT_TOKENS;
            case RAW_ERROR, RATE_LIMITED, RATE_LIMITED_NO_HINT, HTML, OVERLOADED, HANG -> Scope.ANY;
            case TEXT, TOOL_CALL, DROP_AFTER, STALL_AFTER, STREAM_ERROR_AFTER, HEADERS_THEN_HANG -> Scope.COMPLETION;
            case END_AFTER, TEXT_WITHOUT_LAST_EVENT, MALFORMED_EVENT_AFTER -> Scope.COMPLETION;
            case OVERSIZED, OVERSIZED_UNDECLARED, UNTERMINATED_LINE_AFTER, STREAM_ERROR_FIRST -> Scope.COMPLETION;
        };
    }

    String text() {
        return text;
    }

    String toolName() {
        return toolName;
    }

    String toolArguments() {
        return toolArguments;
    }

    /** The status of an error, or the line length of {@link #unterminatedLineAfter}. */
    int status() {
        return status;
    }

    String body() {
        return body;
    }

    /** Extra response headers, on top of whatever the reply itself implies. */
    Map<String, String> headers() {
        return headers;
    }

    /** Chunk count, token count, retry-after seconds or body size, depending on the kind. */
    int count() {
        return count;
    }

    Duration pace() {
        return pace;
    }

    Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "Reply." + kind + (text != null ? "(" + text + ")" : "") + (toolName != null ? "(" + toolName + ")" : "")
                + (status != 0 ? "(" + status + ")" : "") + (count != 0 ? "(" + count + ")" : "");
    }
}
