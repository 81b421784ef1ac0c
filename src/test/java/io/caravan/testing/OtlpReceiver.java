package io.caravan.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An OpenTelemetry collector's OTLP/HTTP trace receiver on {@code 127.0.0.1}: accepts {@code POST /v1/traces} with
 * protobuf bodies as the spec says, decodes them with the OTLP protobuf classes and keeps every span, every raw body
 * (to search for what must never be in one) and the headers of every export.
 */
public final class OtlpReceiver implements AutoCloseable {

    public static final String TRACES_PATH = "/v1/traces";
    private static final String PROTOBUF = "application/x-protobuf";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "otlp-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> exportHeaders = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL to configure as {@code caravan.tracing.otlp-endpoint}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("content-type");
            if (!"POST".equals(exchange.getRequestMethod()) || !TRACES_PATH.equals(exchange.getRequestURI().getPath())
                    || contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
                refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + contentType);
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals(TRACES_PATH) ? 415 : 404, -1);
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            bodies.add(body);
            exportHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        spans.add(new ReceivedSpan(span, resourceSpans.getResource(), scopeSpans.getScope().getName()));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("content-type", PROTOBUF);
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    /** Every span received so far, in arrival order. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Waits until {@code n} spans matching {@code which} have arrived and returns them; fails on time-out. */
    public List<ReceivedSpan> awaitSpans(int n, Predicate<ReceivedSpan> which, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<ReceivedSpan> found = List.of();
        while (Instant.now().isBefore(deadline)) {
            found = spans.stream().filter(which).toList();
            if (found.size() >= n) {
                return found;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + n + " spans within " + timeout + ", got " + found.size() + ": " + found
                + (refused.isEmpty() ? "" : "; refused requests: " + refused));
    }

    /** The raw bodies of every export, decoded as text as far as it goes, for searching for secrets. */
    public String allBodiesAsText() {
        StringBuilder text = new StringBuilder();
        for (byte[] body : bodies) {
            text.append(new String(body, StandardCharsets.ISO_8859_1)).append('\n');
        }
        return text.toString();
    }

    /** The request headers of each export (names as the JDK's server keeps them: first letter upper case). */
    public List<Map<String, List<String>>> exportHeaders() {
        return List.copyOf(exportHeaders);
    }

    /** How many exports arrived. */
    public int exportCount() {
        return bodies.size();
    }

    /** Requests that were not an OTLP/HTTP protobuf trace export. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One received span with its resource, its ids in lower-case hex as W3C trace context writes them. */
    public record ReceivedSpan(Span span, Resource resource, String scope) {

        public String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return hex(span.getSpanId().toByteArray());
        }

        /** The parent's span id, empty for a root span. */
        public String parentSpanId() {
            return hex(span.getParentSpanId().toByteArray());
        }

        public String name() {
            return span.getName();
        }

        public Span.SpanKind kind() {
            return span.getKind();
        }

        public Status.StatusCode statusCode() {
            return span.getStatus().getCode();
        }

        /** A span attribute as text (numbers and booleans too), {@code null} when absent. */
        public String attribute(String key) {
            return value(span.getAttributesList(), key);
        }

        public String resourceAttribute(String key) {
            return value(resource.getAttributesList(), key);
        }

        /** Every attribute as {@code key=value}, for failure messages. */
        public List<String> attributes() {
            List<String> all = new ArrayList<>();
            for (KeyValue kv : span.getAttributesList()) {
                all.add(kv.getKey() + "=" + text(kv.getValue()));
            }
            return all;
        }

        @Override
        public String toString() {
            return kind() + " '" + name() + "' " + spanId() + " parent " + parentSpanId() + " " + attributes();
        }

        private static String value(List<KeyValue> attributes, String key) {
            for (KeyValue kv : attributes) {
                if (kv.getKey().equals(key)) {
                    return text(kv.getValue());
                }
            }
            return null;
        }

        private static String text(AnyValue value) {
            return switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> Long.toString(value.getIntValue());
                case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
                default -> value.toString();
            };
        }

        private static String hex(byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
    }
}
