package io.caravan.metrics;

import io.caravan.clients.ClientSpec;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.CallObserver;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Counts each caller request as it ends: by its labels, its durations, its tokens, and the rotations on its way.
 * Runs on the request's event loop, so it only records: the meters of a label combination are built once and kept
 * (every label is bounded, so the cache is too), and a request costs a lookup and a few atomic updates.
 */
final class RequestMetrics implements CallObserver {

    private static final String[] STATUS_CLASSES = {MetricNames.NONE, "1xx", "2xx", "3xx", "4xx", "5xx"};
    /** The GenAI conventions' {@code error.type} when the failure has no better name. */
    private static final String OTHER_ERROR = "_OTHER";

    private final MeterRegistry registry;
    private final ModelLabels models;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<RequestKey, Meters> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> rotations = new ConcurrentHashMap<>();
    /**
     * Why the last attempt of a request failed, until the request either makes another attempt (a rotation, counted
     * with that reason) or ends. Only requests with a failed attempt are here, so a request that went well never
     * touches it beyond an emptiness check.
     */
    private final ConcurrentHashMap<GatewayCall, String> failedAttempts = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, ModelLabels models) {
        this.registry = registry;
        this.models = models;
        Gauge.builder(MetricNames.REQUESTS_IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Caller requests arrived and not yet ended").register(registry);
    }

    @Override
    public void callArrived(GatewayCall call, Function<String, String> callerHeader) {
        inFlight.incrementAndGet();
    }

    @Override
    public void attemptStarted(GatewayCall call, Credential credential, BiConsumer<String, String> upstreamHeader) {
        if (!failedAttempts.isEmpty()) {
            String reason = failedAttempts.remove(call);
            if (reason != null) {
                rotations.computeIfAbsent(reason, this::rotationCounter).increment();
            }
        }
    }

    @Override
    public void attemptEnded(GatewayCall call, Credential credential, int status, Throwable failure) {
        if (failure != null) {
            failedAttempts.put(call, AttemptFailures.reason(failure));
        }
    }

    @Override
    public void callEnded(GatewayCall call, ClientSpec client) {
        long now = System.nanoTime();
        inFlight.decrementAndGet();
        if (!failedAttempts.isEmpty()) {
            failedAttempts.remove(call);
        }
        int status = call.finalStatus();
        Lease lease = call.lease();
        Credential credential = lease == null ? null : lease.credential();
        boolean served = credential != null && status >= 200 && status < 300;
        // Labelled by the model that served, a fallback's where one took the requested model's place.
        String model = models.label(call.servedModel(), served);
        RequestKey key = new RequestKey(call.endpoint(), model, credential == null ? null : credential.name(),
                served ? responseModel(credential, call.servedModel(), model) : null,
                credential == null ? null : credential.kind().providerName(), client == null ? null : client.name(), status);
        Meters m = meters.get(key);
        if (m == null) {
            m = meters.computeIfAbsent(key, this::meters);
        }
        m.requests.increment();
        long total = now - call.startNanos();
        m.duration.record(total, TimeUnit.NANOSECONDS);
        double firstByteMillis = call.timeToFirstByteMillis();
        long firstByte = firstByteMillis < 0 ? -1 : (long) (firstByteMillis * 1e6);
        // The gateway's own time: until the first byte when one was sent, else the whole request, less the upstreams'.
        long own = (firstByte >= 0 ? firstByte : total) - call.upstreamNanos();
        m.gateway.record(Math.max(own, 0), TimeUnit.NANOSECONDS);
        TokenCounts usage = call.usage();
        if ((served && firstByte >= 0) || !usage.isNone()) {
            AnswerMeters answer = m.answer(key);
            if (served && firstByte >= 0) {
                answer.firstToken.record(firstByte, TimeUnit.NANOSECONDS);
            }
            if (!usage.isNone()) {
                answer.record(usage);
            }
        }
    }

    /** The model the upstream was asked for: the alias's upstream name, else the requested name (its label). */
    private static String responseModel(Credential credential, String requested, String label) {
        if (MetricNames.OTHER.equals(label) || MetricNames.NONE.equals(label)) {
            return label;
        }
        return credential.spec().upstreamModel(requested);
    }

    private Counter rotationCounter(String reason) {
        return Counter.builder(MetricNames.ROTATIONS)
                .description("Upstream attempts that failed and were followed by another attempt of the same request")
                .tag(MetricNames.REASON, reason).register(registry);
    }

    private Meters meters(RequestKey key) {
        Endpoint endpoint = key.endpoint;
        Counter requests = Counter.builder(MetricNames.REQUESTS)
                .description("Caller requests by dialect, endpoint, model, credential, client and status class")
                .tags(MetricNames.DIALECT, endpoint.dialect().id(), MetricNames.ENDPOINT, endpoint.logName(),
                        MetricNames.MODEL, key.model, MetricNames.CREDENTIAL, orNone(key.credential),
                        MetricNames.CLIENT, client(key), MetricNames.STATUS_CLASS, statusClass(key.status))
                .register(registry);
        Timer duration = Timer.builder(MetricNames.REQUEST_DURATION)
                .description("Caller requests from arrival to the answer's last byte")
                .tags(genAi(key)).tag(MetricNames.ERROR_TYPE, errorType(key.status))
                .serviceLevelObjectives(MetricNames.DURATION_BUCKETS).register(registry);
        Timer gateway = Timer.builder(MetricNames.GATEWAY_DURATION)
                .description("The gateway's own time in a request: until its first byte (or its end without one), "
                        + "less the time spent waiting for upstreams")
                .tags(MetricNames.DIALECT, endpoint.dialect().id(), MetricNames.ENDPOINT, endpoint.logName())
                .serviceLevelObjectives(MetricNames.GATEWAY_BUCKETS).register(registry);
        return new Meters(requests, duration, gateway);
    }

    /** The meters only an answer has: made on the first answer of the combination, so failures have none. */
    private AnswerMeters answerMeters(RequestKey key) {
        Tags genAi = genAi(key);
        String client = client(key);
        Timer firstToken = Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN)
                .description("Successful requests from arrival to the first byte of the answer sent to the caller")
                .tags(genAi).serviceLevelObjectives(MetricNames.FIRST_TOKEN_BUCKETS).register(registry);
        return new AnswerMeters(firstToken,
                tokens(TokenType.INPUT, client, key.model), tokens(TokenType.OUTPUT, client, key.model),
                tokens(TokenType.CACHE_READ, client, key.model), tokens(TokenType.CACHE_WRITE, client, key.model),
                tokens(TokenType.REASONING, client, key.model),
                tokenUsage(genAi, TokenType.INPUT), tokenUsage(genAi, TokenType.OUTPUT));
    }

    private static Tags genAi(RequestKey key) {
        return Tags.of(MetricNames.OPERATION, operation(key.endpoint.operation()),
                MetricNames.PROVIDER, orNone(key.provider),
                MetricNames.REQUEST_MODEL, key.model,
                MetricNames.RESPONSE_MODEL, orNone(key.responseModel));
    }

    private static String client(RequestKey key) {
        return key.client == null ? MetricNames.ANONYMOUS : key.client;
    }

    private Counter tokens(TokenType type, String client, String model) {
        return Counter.builder(MetricNames.TOKENS)
                .description("Tokens of the answers served, as their upstreams reported them, by type, client and model")
                .tags(MetricNames.TYPE, type.label, MetricNames.CLIENT, client, MetricNames.MODEL, model)
                .register(registry);
    }

    private DistributionSummary tokenUsage(Tags genAi, TokenType type) {
        return DistributionSummary.builder(MetricNames.TOKEN_USAGE)
                .description("Input and output tokens per answer, as its upstream reported them")
                .tags(genAi).tag(MetricNames.TOKEN_TYPE, type.label)
                .serviceLevelObjectives(MetricNames.TOKEN_BUCKETS).register(registry);
    }

    /** The GenAI conventions' {@code gen_ai.operation.name}. */
    private static String operation(Operation operation) {
        return switch (operation) {
            case CHAT -> "chat";
            case COUNT_TOKENS -> "count_tokens";
            case EMBED -> "embeddings";
        };
    }

    private static String statusClass(int status) {
        return status >= 100 && status <= 599 ? STATUS_CLASSES[status / 100] : MetricNames.NONE;
    }

    /** The GenAI conventions' {@code error.type}: the status of a failed answer; empty (absent) for a success. */
    private static String errorType(int status) {
        if (status >= 100 && status < 400) {
            return "";
        }
        return status >= 400 && status <= 599 ? Integer.toString(status) : OTHER_ERROR;
    }

    private static String orNone(String value) {
        return value == null ? MetricNames.NONE : value;
    }

    private enum TokenType {
        INPUT("input"), OUTPUT("output"), CACHE_READ("cache_read"), CACHE_WRITE("cache_write"), REASONING("reasoning");

        private final String label;

        TokenType(String label) {
            this.label = label;
        }
    }

    /** One label combination of a finished request; {@code null} for a label the request had no value of. */
    private record RequestKey(Endpoint endpoint, String model, String credential, String responseModel,
                              String provider, String client, int status) {
    }

    /** The meters of one label combination, built once. */
    private final class Meters {
        final Counter requests;
        final Timer duration;
        final Timer gateway;
        /** Made on first use; two threads making it at once get the same meters from the registry. */
        private volatile AnswerMeters answer;

        Meters(Counter requests, Timer duration, Timer gateway) {
            this.requests = requests;
            this.duration = duration;
            this.gateway = gateway;
        }

        AnswerMeters answer(RequestKey key) {
            AnswerMeters made = answer;
            if (made == null) {
                made = answerMeters(key);
                answer = made;
            }
            return made;
        }
    }

    private record AnswerMeters(Timer firstToken, Counter input, Counter output, Counter cacheRead,
                                Counter cacheWrite, Counter reasoning, DistributionSummary inputUsage,
                                DistributionSummary outputUsage) {

        void record(TokenCounts usage) {
            input.increment(usage.input());
            output.increment(usage.output());
            cacheRead.increment(usage.cacheRead());
            cacheWrite.increment(usage.cacheWrite());
            reasoning.increment(usage.reasoning());
            inputUsage.record(usage.input());
            outputUsage.record(usage.output());
        }
    }
}
