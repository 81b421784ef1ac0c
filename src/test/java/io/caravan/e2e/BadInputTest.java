package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a caller gets for a request the gateway must refuse by itself: the status, the exact error shape of the
 * caller's dialect, no internals in the body, nothing sent upstream and no lease left behind. One gateway for the
 * class; the bad requests leave no state behind (which the tests check), and the few good ones only add requests to
 * the fakes, which each test measures relative to its own start.
 */
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4096;
    private static final String WRONG_KEY = "sk-presented-but-wrong-key-9f8e7d6c5b4a";

    /** Traces, frames, Java source names, fully qualified class names and Class.CONSTANT references. */
    private static final List<Pattern> INTERNALS = List.of(
            Pattern.compile("Exception"),
            Pattern.compile("Throwable"),
            Pattern.compile("\\.java\\b"),
            Pattern.compile("\\bat [\\w$.]+\\("),
            Pattern.compile("\\b(java|javax|jdk|sun|io\\.caravan|io\\.vertx|io\\.netty|org\\.apache|com\\.fasterxml)\\."),
            Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_$]*"),
            Pattern.compile("\\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\\.[A-Z][A-Z0-9_]{2,}\\b"));

    /** The two caller dialects, each with a valid request body for a model its fake serves. */
    enum Api {
        OPENAI(RawClient.OPENAI_CHAT, "gpt-b", "", "/v1/audio/speech"),
        ANTHROPIC(RawClient.MESSAGES, "claude-b", "\"max_tokens\":16,", "/v1/messages/batches");

        final String path;
        final String model;
        final String extra;
        final String unknownPath;

        Api(String path, String model, String extra, String unknownPath) {
            this.path = path;
            this.model = model;
            this.extra = extra;
            this.unknownPath = unknownPath;
        }

        /** A body with the given model value (raw JSON) and messages value (raw JSON); null leaves a field out. */
        String body(String modelJson, String messagesJson, String more) {
            StringBuilder sb = new StringBuilder("{").append(extra);
            if (modelJson != null) {
                sb.append("\"model\":").append(modelJson).append(',');
            }
            if (more != null) {
                sb.append(more).append(',');
            }
            if (messagesJson != null) {
                sb.append("\"messages\":").append(messagesJson).append(',');
            }
            sb.setLength(sb.length() - 1);
            return sb.append('}').toString();
        }

        String valid() {
            return body('"' + model + '"', "[{\"role\":\"user\",\"content\":\"hi\"}]", null);
        }

        boolean anthropic() {
            return this == ANTHROPIC;
        }
    }

    private static FakeUpstream openAi;
    private static FakeUpstream anthropic;
    private static TestGateway gateway;
    private static HttpClient http;

    private int openAiBefore;
    private int anthropicBefore;
    private long leasedBefore;

    @BeforeAll
    static void start() throws Exception {
        openAi = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai", openAi, "[gpt-b]")
                .credential("anthropic", anthropic, "[claude-b]")
                .set("camel.server.max-body-size", Integer.toString(MAX_BODY))
                .start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openAi.close();
        anthropic.close();
    }

    @BeforeEach
    void snapshot() {
        openAiBefore = openAi.requestCount();
        anthropicBefore = anthropic.requestCount();
        leasedBefore = gateway.pool().leasedCount();
    }

    // ---- bodies ----------------------------------------------------------------------------------------------

    private static Named<String> named(String name, String body) {
        return Named.of(name, body);
    }

    static Stream<Arguments> malformedJson() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            all.add(Arguments.of(api, named("unbalanced brackets", "{\"model\": \"" + api.model + "\", \"messages\": [}")));
            all.add(Arguments.of(api, named("unquoted names", "{model: " + api.model + "}")));
            all.add(Arguments.of(api, named("plain text", "this is not json")));
            all.add(Arguments.of(api, named("truncated", "{\"model\":\"" + api.model + "\",\"messages\":[{\"role\":\"user\"")));
            all.add(Arguments.of(api, named("trailing garbage after a valid object", api.valid() + " trailing")));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource
    void malformedJson(Api api, String body) throws Exception {
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 400);
        assertTrue(message(api, error).contains("JSON"), "the message says the body is not JSON: " + error);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> notAnObject() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            for (String body : List.of("[" + api.valid() + "]", "[]", "\"hello\"", "42", "true", "null")) {
                all.add(Arguments.of(api, body));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource
    void notAnObject(Api api, String body) throws Exception {
        assertDialectError(api, send(api, post(api.path, body)), 400);
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void emptyBody(Api api) throws Exception {
        assertDialectError(api, send(api, post(api.path, "")), 400);
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void missingModel(Api api) throws Exception {
        String body = api.body(null, "[{\"role\":\"user\",\"content\":\"hi\"}]", null);
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 400);
        assertTrue(message(api, error).contains("model"), "the message names the field: " + error);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> modelNotAString() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            for (String model : List.of("42", "true", "null", "[\"" + api.model + "\"]", "{\"name\":\"" + api.model + "\"}", "\"\"")) {
                all.add(Arguments.of(api, model));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource
    void modelNotAString(Api api, String model) throws Exception {
        String body = api.body(model, "[{\"role\":\"user\",\"content\":\"hi\"}]", null);
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 400);
        assertTrue(message(api, error).contains("model"), "the message names the field: " + error);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> streamNotABoolean() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            for (String stream : List.of("\"true\"", "\"yes\"", "1", "0", "{}", "[true]")) {
                all.add(Arguments.of(api, stream));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource
    void streamNotABoolean(Api api, String stream) throws Exception {
        String body = api.body('"' + api.model + '"', "[{\"role\":\"user\",\"content\":\"hi\"}]", "\"stream\":" + stream);
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 400);
        assertTrue(message(api, error).contains("stream"), "the message names the field: " + error);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> messagesMissingOrNotAnArray() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            all.add(Arguments.of(api, null));
            for (String messages : List.of("\"hi\"", "{\"role\":\"user\",\"content\":\"hi\"}", "null", "7")) {
                all.add(Arguments.of(api, messages));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource
    void messagesMissingOrNotAnArray(Api api, String messages) throws Exception {
        String body = api.body('"' + api.model + '"', messages, null);
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 400);
        assertTrue(message(api, error).contains("messages"), "the message names the field: " + error);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> nonJsonContentType() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x")) {
                all.add(Arguments.of(api, type));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource
    void nonJsonContentType(Api api, String contentType) throws Exception {
        HttpRequest.Builder b = base(api.path).POST(HttpRequest.BodyPublishers.ofString(api.valid()))
                .header("content-type", contentType)
                .header("authorization", "Bearer " + TestGateway.CLIENT_KEY);
        assertDialectError(api, send(api, b), 415);
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void bodyOverTheSizeLimitIs413InTheDialect(Api api) throws Exception {
        String prompt = "x".repeat(MAX_BODY * 2);
        String body = api.body('"' + api.model + '"', "[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]", null);
        JsonNode error = assertDialectError(api, send(api, post(api.path, body)), 413);
        if (api.anthropic()) {
            assertEquals("request_too_large", error.path("error").path("type").asText(), error.toString());
        }
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void bodyJustUnderTheLimitIsAccepted(Api api) throws Exception {
        // The limit is what 413 hinges on: the same request a little smaller goes through.
        String prompt = "x".repeat(MAX_BODY - 300);
        String body = api.body('"' + api.model + '"', "[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]", null);
        assertTrue(body.length() < MAX_BODY);
        HttpResponse<String> r = send(api, post(api.path, body));
        assertEquals(200, r.statusCode(), r.body());
        assertLeasesBalanced();
    }

    // ---- paths and methods -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Api.class)
    void unknownPathIs404Json(Api api) throws Exception {
        JsonNode error = assertDialectError(api, send(api, post(api.unknownPath, api.valid())), 404);
        if (api.anthropic()) {
            assertEquals("not_found_error", error.path("error").path("type").asText(), error.toString());
        }
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void unknownPathWithoutAKeyIsStill404Json(Api api) throws Exception {
        HttpRequest.Builder b = base(api.unknownPath.replace("/v1/", "/v2/")).GET();
        if (api.anthropic()) {
            b.header("anthropic-version", "2023-06-01");
        }
        assertDialectError(api, send(api, b), 404);
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrongMethodIs405Json(Api api) throws Exception {
        HttpRequest.Builder b = base(api.path).header("authorization", "Bearer " + TestGateway.CLIENT_KEY);
        if (api.anthropic()) {
            b.header("anthropic-version", "2023-06-01").DELETE();
        } else {
            b.GET();
        }
        JsonNode error = assertDialectError(api, send(api, b), 405);
        if (api.anthropic()) {
            assertEquals("invalid_request_error", error.path("error").path("type").asText(), error.toString());
        }
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void putIs405JsonToo(Api api) throws Exception {
        HttpRequest.Builder b = base(api.path).header("authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(api.valid()));
        if (api.anthropic()) {
            b.header("anthropic-version", "2023-06-01");
        }
        assertDialectError(api, send(api, b), 405);
        assertNothingReachedUpstream();
    }

    // ---- authentication --------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Api.class)
    void missingKeyIs401(Api api) throws Exception {
        HttpRequest.Builder b = base(api.path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(api.valid()));
        if (api.anthropic()) {
            b.header("anthropic-version", "2023-06-01");
        }
        JsonNode error = assertDialectError(api, send(api, b), 401);
        if (api.anthropic()) {
            assertEquals("authentication_error", error.path("error").path("type").asText(), error.toString());
        } else {
            assertEquals("invalid_api_key", error.path("error").path("code").asText(), error.toString());
        }
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void missingKeyIsCheckedBeforeTheBody(Api api) throws Exception {
        HttpRequest.Builder b = base(api.path).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"));
        assertDialectError(api, send(api, b), 401);
        assertNothingReachedUpstream();
    }

    static Stream<Arguments> keyHeaders() {
        List<Arguments> all = new ArrayList<>();
        for (Api api : Api.values()) {
            for (String header : List.of("authorization", "x-api-key", "x-goog-api-key")) {
                all.add(Arguments.of(api, header));
            }
        }
        return all.stream();
    }

    private static HttpRequest.Builder withKey(Api api, String header, String key) {
        HttpRequest.Builder b = base(api.path).header("content-type", "application/json")
                .header(header, header.equals("authorization") ? "Bearer " + key : key)
                .POST(HttpRequest.BodyPublishers.ofString(api.valid()));
        if (api.anthropic()) {
            b.header("anthropic-version", "2023-06-01");
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("keyHeaders")
    void wrongKeyIs401AndIsNeverEchoed(Api api, String header) throws Exception {
        HttpResponse<String> r = send(api, withKey(api, header, WRONG_KEY));
        JsonNode error = assertDialectError(api, r, 401);
        if (api.anthropic()) {
            assertEquals("authentication_error", error.path("error").path("type").asText(), error.toString());
        } else {
            assertEquals("invalid_api_key", error.path("error").path("code").asText(), error.toString());
        }
        assertFalse(r.body().contains(WRONG_KEY), "the presented key is echoed: " + r.body());
        assertFalse(r.body().contains(WRONG_KEY.substring(0, 16)), "part of the presented key is echoed: " + r.body());
        r.headers().map().forEach((name, values) -> values.forEach(v ->
                assertFalse(v.contains(WRONG_KEY), "the presented key is echoed in header " + name)));
        assertNothingReachedUpstream();
    }

    @ParameterizedTest
    @MethodSource("keyHeaders")
    void theClientKeyIsAcceptedInEveryHeader(Api api, String header) throws Exception {
        HttpResponse<String> r = send(api, withKey(api, header, TestGateway.CLIENT_KEY));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        if (api.anthropic()) {
            assertEquals("message", answer.path("type").asText(), r.body());
            assertEquals(anthropicBefore + 1, anthropic.requestCount());
        } else {
            assertEquals("chat.completion", answer.path("object").asText(), r.body());
            assertEquals(openAiBefore + 1, openAi.requestCount());
        }
        RecordedRequest upstream = (api.anthropic() ? anthropic : openAi).lastRequest();
        upstream.headers().forEach((name, values) -> values.forEach(v ->
                assertFalse(v.contains(TestGateway.CLIENT_KEY), "the client key went upstream in " + name)));
        assertLeasesBalanced();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    /** A POST with the client key, a JSON content type and, on Anthropic paths, {@code anthropic-version}. */
    private static HttpRequest.Builder post(String path, String body) {
        HttpRequest.Builder b = base(path).header("content-type", "application/json")
                .header("authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith(RawClient.MESSAGES)) {
            b.header("anthropic-version", "2023-06-01");
        }
        return b;
    }

    private static HttpResponse<String> send(Api api, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(Api api, JsonNode error) {
        return error.path("error").path("message").asText();
    }

    /**
     * Asserts the status, a JSON content type, an {@code x-request-id}, a body without internals and the exact
     * error shape of the dialect; returns the parsed body.
     */
    private static JsonNode assertDialectError(Api api, HttpResponse<String> r, int status) throws Exception {
        String body = r.body();
        assertEquals(status, r.statusCode(), "status; body: " + body);
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                "content-type " + r.headers().firstValue("content-type") + "; body: " + body);
        String requestId = r.headers().firstValue("x-request-id").orElse(null);
        assertNotNull(requestId, "x-request-id on the error answer");
        assertNoInternals(body);
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("the error body is not JSON: " + body, e);
        }
        assertNotNull(root, "an error body");
        assertTrue(root.isObject(), body);
        JsonNode error = root.path("error");
        assertTrue(error.isObject(), "error object: " + body);
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), "message: " + body);
        assertTrue(error.path("type").isTextual() && !error.path("type").asText().isBlank(), "type: " + body);
        if (api.anthropic()) {
            assertEquals(Set.of("type", "error", "request_id"), fieldNames(root), body);
            assertEquals("error", root.path("type").asText(), body);
            assertEquals(Set.of("type", "message"), fieldNames(error), body);
            assertTrue(root.path("request_id").isTextual() && !root.path("request_id").asText().isBlank(), body);
            assertEquals(requestId, root.path("request_id").asText(), "request_id matches x-request-id");
            assertEquals(anthropicType(status), error.path("type").asText(), body);
        } else {
            assertEquals(Set.of("error"), fieldNames(root), body);
            assertEquals(Set.of("message", "type", "param", "code"), fieldNames(error), body);
            assertTrue(error.path("param").isNull() || error.path("param").isTextual(), "param: " + body);
            assertTrue(error.path("code").isNull() || error.path("code").isTextual(), "code: " + body);
            if (status == 400 || status == 413 || status == 415 || status == 405) {
                assertEquals("invalid_request_error", error.path("type").asText(), body);
            }
        }
        return root;
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 400, 405, 415 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            default -> throw new IllegalArgumentException("no expectation for " + status);
        };
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertNoInternals(String body) {
        for (Pattern p : INTERNALS) {
            if (p.matcher(body).find()) {
                fail("the error body shows internals (" + p + "): " + body);
            }
        }
        assertFalse(body.toLowerCase(Locale.ROOT).contains("stack"), body);
    }

    private void assertNothingReachedUpstream() throws InterruptedException {
        assertEquals(openAiBefore, openAi.requestCount(), "requests that reached the OpenAI fake");
        assertEquals(anthropicBefore, anthropic.requestCount(), "requests that reached the Anthropic fake");
        assertEquals(leasedBefore, gateway.pool().leasedCount(), "a refused request took no lease");
        assertLeasesBalanced();
    }

    private static void assertLeasesBalanced() throws InterruptedException {
        gateway.awaitLeasesBalanced(Duration.ofSeconds(3));
        assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount(), "leases balanced");
    }
}
