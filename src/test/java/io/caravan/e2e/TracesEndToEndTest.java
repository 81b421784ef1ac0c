package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.OtlpReceiver;
import io.caravan.testing.OtlpReceiver.ReceivedSpan;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Traces of the booted gateway, exported over OTLP/HTTP to a receiver on loopback and decoded there: the tree of a
 * rotated request (one server span, a client span per attempt), the W3C trace context taken from the caller and
 * passed to each upstream attempt, what the spans say and never say, and that tracing costs the requests nothing
 * when it is off or when the collector is down.
 */
class TracesEndToEndTest {

    private static final Duration EXPORTED_WITHIN = Duration.ofSeconds(20);
    private static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    private static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01";
    private static final String CALLER_TRACESTATE = "vendor=opaque-value";
    /** The collector's token: sent to the collector with every export, never in a span. */
    private static final String COLLECTOR_TOKEN = "collector-secret-token-5c1f0e9a";

    private final FakeUpstream first = FakeUpstream.openAi();
    private final FakeUpstream second = FakeUpstream.openAi();
    private OtlpReceiver receiver;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, first, second, receiver);
    }

    /** The gateway with credentials {@code first} and {@code second} (tried in that order) for model {@code m}. */
    private RawClient start(String endpoint, String... settings) throws Exception {
        TestGateway.Builder b = TestGateway.builder().credential("first", first, "[m]").credential("second", second, "[m]");
        if (endpoint != null) {
            b.set("caravan.tracing.otlp-endpoint", endpoint)
                    .set("caravan.tracing.export-interval-ms", "100")
                    .set("caravan.tracing.otlp-headers", "Authorization=Bearer " + COLLECTOR_TOKEN);
        }
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        gateway = b.start();
        return new RawClient(gateway);
    }

    private RawClient startTraced(String... settings) throws Exception {
        receiver = new OtlpReceiver();
        return start(receiver.baseUrl(), settings);
    }

    /** Sends a request with these extra headers (name, value, ...) and reads its whole answer, a stream too. */
    private static HttpResponse<String> send(RawClient client, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = client.request(path, body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request);
    }

    private static String body(String path, boolean stream) {
        return path.equals(RawClient.MESSAGES) ? RawClient.messages("m", "hello", stream)
                : RawClient.chat("m", "hello", stream);
    }

    private List<ReceivedSpan> awaitTrace(String traceId, int spans) throws InterruptedException {
        return receiver.awaitSpans(spans, s -> s.traceId().equals(traceId), EXPORTED_WITHIN);
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind) {
        List<ReceivedSpan> of = spans.stream().filter(s -> s.kind() == kind).toList();
        assertEquals(1, of.size(), "one " + kind + " span in " + spans);
        return of.get(0);
    }

    private static List<ReceivedSpan> clients(List<ReceivedSpan> spans) {
        return spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT)
                .sorted(Comparator.comparing(s -> Long.parseLong(s.attribute("caravan.attempt")))).toList();
    }

    @Test
    void aStreamedAttemptsSpanLastsUntilItsStreamEnds() throws Exception {
        RawClient client = startTraced();
        // Six events 100 ms apart: the stream lasts half a second at least after its first event.
        first.enqueue(Reply.text("one two three four five six").paced(Duration.ofMillis(100)));

        HttpResponse<String> answer = send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, true),
                "traceparent", CALLER_TRACEPARENT);

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("data: [DONE]"), answer.body());
        List<ReceivedSpan> trace = awaitTrace(CALLER_TRACE_ID, 2);
        ReceivedSpan attempt = only(trace, SpanKind.SPAN_KIND_CLIENT);
        long streamedNanos = attempt.span().getEndTimeUnixNano() - attempt.span().getStartTimeUnixNano();
        assertTrue(streamedNanos >= TimeUnit.MILLISECONDS.toNanos(500),
                "the attempt's span covers its stream, not just its first event: " + streamedNanos / 1_000_000 + " ms");
        assertEquals(StatusCode.STATUS_CODE_UNSET, attempt.statusCode());
        assertNull(attempt.attribute("error.type"), "a stream that ended well is no error");
        ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
        assertTrue(attempt.span().getEndTimeUnixNano() <= server.span().getEndTimeUnixNano(),
                "the attempt ends within its request");
    }

    @ParameterizedTest(name = "{0} stream={1}")
    @CsvSource({
        "/v1/chat/completions, false, openai",
        "/v1/chat/completions, true, openai",
        "/v1/messages, false, anthropic",
        "/v1/messages, true, anthropic"})
    void aRotatedRequestIsOneServerSpanWithAClientSpanPerAttemptInTheCallersTrace(String path, boolean stream,
            String dialect) throws Exception {
        RawClient client = startTraced();
        first.enqueue(Reply.rateLimited(30));

        HttpResponse<String> answer = send(client, path, body(path, stream),
                "traceparent", CALLER_TRACEPARENT, "tracestate", CALLER_TRACESTATE);

        assertEquals(200, answer.statusCode(), answer.body());
        List<ReceivedSpan> trace = awaitTrace(CALLER_TRACE_ID, 3);
        assertEquals(3, trace.size(), trace.toString());
        ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
        assertEquals(CALLER_SPAN_ID, server.parentSpanId(), "the caller's span is the server span's parent");
        assertEquals("chat m", server.name());
        assertEquals("chat", server.attribute("gen_ai.operation.name"));
        assertEquals("m", server.attribute("gen_ai.request.model"));
        assertEquals(dialect, server.attribute("caravan.dialect"));
        assertEquals("openai", server.attribute("gen_ai.provider.name"));
        assertEquals(Boolean.toString(stream), server.attribute("caravan.stream"));
        assertEquals("client-1", server.attribute("caravan.client"));
        assertEquals(answer.headers().firstValue("x-request-id").orElseThrow(), server.attribute("caravan.request_id"));
        assertEquals("2", server.attribute("caravan.attempts"));
        assertEquals("200", server.attribute("http.response.status_code"));
        assertTrue(Long.parseLong(server.attribute("gen_ai.usage.input_tokens")) > 0, server.toString());
        assertTrue(Long.parseLong(server.attribute("gen_ai.usage.output_tokens")) > 0, server.toString());
        assertEquals(StatusCode.STATUS_CODE_UNSET, server.statusCode());
        assertEquals("caravan", server.resourceAttribute("service.name"));

        List<ReceivedSpan> attempts = clients(trace);
        assertEquals(2, attempts.size(), trace.toString());
        FakeUpstream[] upstreams = {first, second};
        String[] names = {"first", "second"};
        for (int i = 0; i < 2; i++) {
            ReceivedSpan attempt = attempts.get(i);
            assertEquals(server.spanId(), attempt.parentSpanId(), "attempt " + (i + 1) + " is the server span's child");
            assertEquals("chat m", attempt.name());
            assertEquals(Integer.toString(i + 1), attempt.attribute("caravan.attempt"));
            assertEquals(names[i], attempt.attribute("caravan.credential"));
            assertEquals("openai", attempt.attribute("gen_ai.provider.name"));
            assertEquals("m", attempt.attribute("gen_ai.request.model"));
            assertEquals("127.0.0.1", attempt.attribute("server.address"));
            assertEquals(Integer.toString(upstreams[i].port()), attempt.attribute("server.port"));
            List<RecordedRequest> seen = upstreams[i].requests();
            assertEquals(1, seen.size());
            assertEquals("00-" + CALLER_TRACE_ID + "-" + attempt.spanId() + "-01", seen.get(0).header("traceparent"),
                    "upstream " + names[i] + " is told its own attempt's span");
            assertEquals(CALLER_TRACESTATE, seen.get(0).header("tracestate"));
        }
        assertEquals("429", attempts.get(0).attribute("http.response.status_code"));
        assertEquals("429", attempts.get(0).attribute("error.type"));
        assertEquals(StatusCode.STATUS_CODE_ERROR, attempts.get(0).statusCode());
        assertEquals("200", attempts.get(1).attribute("http.response.status_code"));
        assertNull(attempts.get(1).attribute("error.type"));
        assertEquals(StatusCode.STATUS_CODE_UNSET, attempts.get(1).statusCode());
    }

    @Test
    void aCallerWithoutTraceContextStartsANewRootTrace() throws Exception {
        RawClient client = startTraced();

        HttpResponse<String> answer = send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false));

        assertEquals(200, answer.statusCode(), answer.body());
        String traceparent = first.lastRequest().header("traceparent");
        assertTrue(traceparent != null && traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"), traceparent);
        String traceId = traceparent.substring(3, 35);
        List<ReceivedSpan> trace = awaitTrace(traceId, 2);
        ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
        assertEquals("", server.parentSpanId(), "a root span");
        ReceivedSpan attempt = only(trace, SpanKind.SPAN_KIND_CLIENT);
        assertEquals(server.spanId(), attempt.parentSpanId());
        assertEquals(attempt.spanId(), traceparent.substring(36, 52));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "garbage",
        "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID,
        "00-00000000000000000000000000000000-" + CALLER_SPAN_ID + "-01",
        "00-" + CALLER_TRACE_ID + "-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + CALLER_SPAN_ID + "-01",
        "ff-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01",
        "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01-extra"})
    void aMalformedTraceparentIsIgnoredAndTheRequestStartsANewRootTrace(String malformed) throws Exception {
        RawClient client = startTraced();

        HttpResponse<String> answer = send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false),
                "traceparent", malformed);

        assertEquals(200, answer.statusCode(), answer.body());
        String traceparent = first.lastRequest().header("traceparent");
        assertTrue(traceparent != null && traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"), traceparent);
        String traceId = traceparent.substring(3, 35);
        assertNotEquals(CALLER_TRACE_ID, traceId);
        ReceivedSpan server = only(awaitTrace(traceId, 2), SpanKind.SPAN_KIND_SERVER);
        assertEquals("", server.parentSpanId(), "a root span");
    }

    @Test
    void aCallerThatSaysNotSampledIsHonouredAndNothingOfItsTraceIsExported() throws Exception {
        RawClient client = startTraced();
        String notSampled = "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-00";

        assertEquals(200, send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false),
                "traceparent", notSampled).statusCode());
        // A sampled request after it: once its spans are in, the unsampled one's would have been too.
        HttpResponse<String> after = send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false));

        assertEquals(200, after.statusCode());
        String upstreamParent = first.requests().get(0).header("traceparent");
        assertTrue(upstreamParent.startsWith("00-" + CALLER_TRACE_ID + "-") && upstreamParent.endsWith("-00"),
                "the trace goes on upstream, unsampled: " + upstreamParent);
        String sampledTrace = second.lastRequest().header("traceparent").substring(3, 35);
        awaitTrace(sampledTrace, 2);
        assertEquals(List.of(), receiver.trace(CALLER_TRACE_ID));
    }

    @Test
    void noSecretIsInAnyExportedSpanAndTheCollectorGetsItsHeader() throws Exception {
        RawClient client = startTraced();
        first.enqueue(Reply.rateLimited(30));
        List<String> traceIds = new ArrayList<>();
        for (String path : List.of(RawClient.OPENAI_CHAT, RawClient.MESSAGES)) {
            for (boolean stream : List.of(false, true)) {
                HttpResponse<String> answer = send(client, path, body(path, stream));
                assertEquals(200, answer.statusCode(), answer.body());
                traceIds.add(second.lastRequest().header("traceparent").substring(3, 35));
            }
        }
        // And a refused one: the wrong key, which the gate must not copy anywhere.
        HttpResponse<String> refused = client.send(client.request(RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false))
                .setHeader("authorization", "Bearer sk-wrong-key-that-must-not-leak-0123"));
        assertEquals(401, refused.statusCode());
        for (String traceId : traceIds) {
            awaitTrace(traceId, 2);
        }
        ReceivedSpan refusedSpan = receiver.awaitSpans(1,
                s -> "401".equals(s.attribute("http.response.status_code")), EXPORTED_WITHIN).get(0);
        assertEquals(StatusCode.STATUS_CODE_ERROR, refusedSpan.statusCode());
        assertNull(refusedSpan.attribute("caravan.client"));

        String exported = receiver.allBodiesAsText();
        for (String secret : List.of(TestGateway.CLIENT_KEY, first.apiKey(), second.apiKey(),
                "sk-wrong-key-that-must-not-leak-0123", COLLECTOR_TOKEN, "hello")) {
            assertFalse(exported.contains(secret), "an exported span holds '" + secret + "'");
        }
        assertFalse(exported.toLowerCase(Locale.ROOT).contains("bearer"));
        assertTrue(receiver.exportHeaders().stream().allMatch(
                headers -> List.of("Bearer " + COLLECTOR_TOKEN).equals(headers.get("Authorization"))),
                "every export carried the collector's header");
    }

    @Test
    void withTracingOffNoTraceContextGoesUpstreamAndNothingIsExported() throws Exception {
        receiver = new OtlpReceiver();
        RawClient client = start(null);

        assertEquals(200, send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false),
                "traceparent", CALLER_TRACEPARENT, "tracestate", CALLER_TRACESTATE).statusCode());
        assertEquals(200, send(client, RawClient.MESSAGES, body(RawClient.MESSAGES, true),
                "traceparent", CALLER_TRACEPARENT).statusCode());

        List<RecordedRequest> seen = new ArrayList<>(first.requests());
        seen.addAll(second.requests());
        assertEquals(2, seen.size());
        for (RecordedRequest request : seen) {
            assertNull(request.header("traceparent"), "the caller's trace context is not relayed either");
            assertNull(request.header("tracestate"));
        }
        gateway.close();
        gateway = null;
        assertEquals(0, receiver.exportCount());
    }

    @Test
    void aCollectorThatIsDownCostsTheRequestsNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // A queue of 4 spans: most of these requests' spans are dropped, and no request waits for room.
        RawClient client = start("http://127.0.0.1:" + closedPort, "caravan.tracing.max-queued-spans", "4");
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String path = i % 2 == 0 ? RawClient.OPENAI_CHAT : RawClient.MESSAGES;
            answers.add(client.http().sendAsync(client.request(path, body(path, i % 4 < 2)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
        }
        assertEquals(40, first.requestCount() + second.requestCount());
        assertTrue(first.requests().stream().allMatch(r -> r.header("traceparent") != null),
                "requests are still traced");
        try (LogCapture logs = LogCapture.capture()) {
            gateway.close();
            gateway = null;
            List<String> dropped = logs.atLeast(Level.WARN).stream()
                    .filter(line -> line.matches("WARN caravan - Traces: [1-9][0-9]* spans were dropped .*")).toList();
            assertEquals(1, dropped.size(), logs.atLeast(Level.WARN).toString());
        }
    }

    @Test
    void theSampleRatioAppliesToNewTracesAndACallersSampledFlagIsHonoured() throws Exception {
        RawClient client = startTraced("caravan.tracing.sample-ratio", "0");

        assertEquals(200, send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false)).statusCode());
        String unsampled = first.lastRequest().header("traceparent");
        assertTrue(unsampled.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]"), "a new trace, not sampled: " + unsampled);
        assertEquals(200, send(client, RawClient.OPENAI_CHAT, body(RawClient.OPENAI_CHAT, false),
                "traceparent", CALLER_TRACEPARENT).statusCode());

        List<ReceivedSpan> trace = awaitTrace(CALLER_TRACE_ID, 2);
        assertEquals(CALLER_SPAN_ID, only(trace, SpanKind.SPAN_KIND_SERVER).parentSpanId());
        assertEquals(List.of(), receiver.trace(unsampled.substring(3, 35)));
    }
}
