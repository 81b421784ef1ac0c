package io.caravan.tracing;

import static io.caravan.tracing.GenAiAttributes.ATTEMPT;
import static io.caravan.tracing.GenAiAttributes.ATTEMPTS;
import static io.caravan.tracing.GenAiAttributes.CLIENT;
import static io.caravan.tracing.GenAiAttributes.CREDENTIAL;
import static io.caravan.tracing.GenAiAttributes.DIALECT;
import static io.caravan.tracing.GenAiAttributes.ENDPOINT;
import static io.caravan.tracing.GenAiAttributes.ERROR_TYPE;
import static io.caravan.tracing.GenAiAttributes.HTTP_STATUS;
import static io.caravan.tracing.GenAiAttributes.INPUT_TOKENS;
import static io.caravan.tracing.GenAiAttributes.OPERATION_NAME;
import static io.caravan.tracing.GenAiAttributes.OUTPUT_TOKENS;
import static io.caravan.tracing.GenAiAttributes.PROVIDER_NAME;
import static io.caravan.tracing.GenAiAttributes.REQUEST_ID;
import static io.caravan.tracing.GenAiAttributes.REQUEST_MODEL;
import static io.caravan.tracing.GenAiAttributes.RESPONSE_MODEL;
import static io.caravan.tracing.GenAiAttributes.SERVER_ADDRESS;
import static io.caravan.tracing.GenAiAttributes.SERVER_PORT;
import static io.caravan.tracing.GenAiAttributes.STREAM;

import io.caravan.clients.ClientSpec;
import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.CallObserver;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns each request's life into spans: a SERVER span from its arrival to its end, parented on the caller's W3C trace
 * context when it sent one, and a CLIENT child per upstream attempt whose context goes upstream as
 * {@code traceparent}. Runs on the request's own threads and only records: span ends are handed to the SDK's batch
 * processor, which exports on a thread of its own.
 */
final class CallTracer implements CallObserver {

    /** What a request whose caller left is recorded as (nginx's 499, as in the access log). */
    private static final String CALLER_GONE = "caller_gone";
    /** An attempt still open when its request ended: it was cut short by the request's end (a time-out, say). */
    private static final String CUT_SHORT = "cut_short";

    private static final TextMapGetter<Function<String, String>> CALLER_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> headers) {
            // Only the W3C propagator reads these, by name; nothing iterates the caller's headers.
            return List.of();
        }

        @Override
        public String get(Function<String, String> headers, String name) {
            return headers == null ? null : headers.apply(name);
        }
    };

    private static final TextMapSetter<BiConsumer<String, String>> UPSTREAM_HEADERS =
            (headers, name, value) -> headers.accept(name, value);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    CallTracer(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public void callArrived(GatewayCall call, Function<String, String> callerHeader) {
        String operation = GenAiAttributes.operationName(call.endpoint().operation());
        // A missing or malformed traceparent leaves the root context: the request starts a trace of its own.
        Context parent = propagator.extract(Context.root(), callerHeader, CALLER_HEADERS);
        Span server = tracer.spanBuilder(operation)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(DIALECT, call.dialect().id())
                .setAttribute(ENDPOINT, call.endpoint().logName())
                .setAttribute(REQUEST_ID, call.requestId())
                .startSpan();
        call.setTelemetry(new TracedCall(server, parent.with(server)));
    }

    @Override
    public void attemptStarted(GatewayCall call, Credential credential, BiConsumer<String, String> upstreamHeader) {
        if (!(call.telemetry() instanceof TracedCall traced)) {
            return;
        }
        String operation = GenAiAttributes.operationName(call.endpoint().operation());
        String model = GenAiAttributes.model(credential.spec().upstreamModel(call.servedModel()));
        String provider = credential.kind().providerName();
        traced.lastProvider = provider;
        UpstreamAddress address = UpstreamAddress.of(credential.spec().baseUrl());
        SpanBuilder builder = tracer.spanBuilder(GenAiAttributes.spanName(operation, model))
                .setParent(traced.serverContext)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(PROVIDER_NAME, provider)
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(CREDENTIAL, credential.name())
                .setAttribute(ATTEMPT, call.attempts())
                .setAttribute(STREAM, call.stream());
        if (address.host() != null) {
            builder.setAttribute(SERVER_ADDRESS, address.host()).setAttribute(SERVER_PORT, address.port());
        }
        Span attempt = builder.startSpan();
        traced.attemptStarted(attempt);
        propagator.inject(traced.serverContext.with(attempt), upstreamHeader, UPSTREAM_HEADERS);
    }

    @Override
    public void attemptEnded(GatewayCall call, Credential credential, int status, Throwable failure) {
        if (!(call.telemetry() instanceof TracedCall traced)) {
            return;
        }
        Span attempt = traced.takeOpenAttempt();
        if (attempt == null) {
            return;
        }
        if (status > 0) {
            attempt.setAttribute(HTTP_STATUS, status);
        }
        if (failure != null) {
            String type = errorType(failure, status);
            attempt.setAttribute(ERROR_TYPE, type);
            attempt.setStatus(StatusCode.ERROR, type);
        } else if (call.stream()) {
            traced.streaming(attempt);
            return;
        }
        attempt.end();
    }

    @Override
    public void callEnded(GatewayCall call, ClientSpec client) {
        if (!(call.telemetry() instanceof TracedCall traced)) {
            return;
        }
        Span attempt = traced.takeOpenAttempt();
        if (attempt != null) {
            attempt.setAttribute(ERROR_TYPE, CUT_SHORT);
            attempt.setStatus(StatusCode.ERROR, CUT_SHORT);
            attempt.end();
        }
        Span streamed = traced.takeStreamingAttempt();
        if (streamed != null) {
            streamed.end();
        }
        Span server = traced.server;
        String operation = GenAiAttributes.operationName(call.endpoint().operation());
        String model = GenAiAttributes.model(call.model());
        if (model != null) {
            server.updateName(GenAiAttributes.spanName(operation, model));
            server.setAttribute(REQUEST_MODEL, model);
            server.setAttribute(STREAM, call.stream());
        }
        if (call.lease() != null) {
            server.setAttribute(RESPONSE_MODEL, GenAiAttributes.model(call.servedModel()));
        }
        if (traced.lastProvider != null) {
            server.setAttribute(PROVIDER_NAME, traced.lastProvider);
        }
        if (client != null) {
            server.setAttribute(CLIENT, client.name());
        }
        server.setAttribute(ATTEMPTS, call.attempts());
        TokenCounts usage = call.usage();
        if (usage != null && !usage.isNone()) {
            server.setAttribute(INPUT_TOKENS, usage.input());
            server.setAttribute(OUTPUT_TOKENS, usage.output());
        }
        int status = call.finalStatus();
        if (status > 0) {
            server.setAttribute(HTTP_STATUS, status);
        }
        if (call.callerGone()) {
            server.setAttribute(ERROR_TYPE, CALLER_GONE);
            server.setStatus(StatusCode.ERROR, CALLER_GONE);
        } else if (status >= 400) {
            String type = Integer.toString(status);
            server.setAttribute(ERROR_TYPE, type);
            server.setStatus(StatusCode.ERROR, type);
        }
        server.end();
    }

    /**
     * {@code error.type} of a failed attempt: the upstream's status for an error answer, else what went wrong
     * ({@code network}, {@code timeout}, {@code invalid_answer}, {@code caller_gone}); never a message, which may
     * quote the upstream.
     */
    private static String errorType(Throwable failure, int status) {
        if (failure instanceof UpstreamFailure upstream) {
            return upstream.kind() == UpstreamFailure.Kind.STATUS ? Integer.toString(status)
                    : upstream.kind().name().toLowerCase(Locale.ROOT);
        }
        if (failure instanceof CallerGoneException) {
            return CALLER_GONE;
        }
        return failure.getClass().getName();
    }
}
