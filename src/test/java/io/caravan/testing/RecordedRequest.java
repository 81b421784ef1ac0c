package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the fake upstream received, exactly as it arrived. Everything but the client-abort mark is fixed
 * when the request is recorded; the mark is set later if the caller goes away before the reply is complete.
 */
public final class RecordedRequest {

    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final String body;
    private final JsonNode json;
    private final Instant receivedAt;
    private volatile Instant clientAbortedAt;

    RecordedRequest(String method, String path, String query, Iterable<Map.Entry<String, String>> headers,
                    String body, Instant receivedAt) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = copyHeaders(headers);
        this.body = body;
        this.json = Json.parseOrNull(body);
        this.receivedAt = receivedAt;
    }

    private static Map<String, List<String>> copyHeaders(Iterable<Map.Entry<String, String>> source) {
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : source) {
            byName.computeIfAbsent(header.getKey(), name -> new ArrayList<>()).add(header.getValue());
        }
        byName.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(byName);
    }

    /** HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** Request path without the query string, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /** The raw query string without '?', or {@code null} when there was none. */
    public String query() {
        return query;
    }

    /** All headers; look-ups ignore case, values keep their arrival order. Unmodifiable. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (any case), or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header (any case); empty when absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The body as UTF-8 text; empty when the request had none. */
    public String body() {
        return body;
    }

    /** The body parsed as JSON, or {@code null} when it is empty or not valid JSON. */
    public JsonNode json() {
        return json;
    }

    /** The {@code model} field of the JSON body, or {@code null}. */
    public String model() {
        return json != null && json.path("model").isTextual() ? json.get("model").asText() : null;
    }

    /** Whether the JSON body asked for a stream ({@code "stream": true}). */
    public boolean streamRequested() {
        return json != null && json.path("stream").asBoolean(false);
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** Whether the caller closed the connection before the reply to this request was complete. */
    public boolean clientAborted() {
        return clientAbortedAt != null;
    }

    /** When the fake saw the caller's connection close mid-reply, if it did. */
    public Optional<Instant> clientAbortedAt() {
        return Optional.ofNullable(clientAbortedAt);
    }

    void markClientAborted(Instant at) {
        clientAbortedAt = at;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " " + body;
    }
}
