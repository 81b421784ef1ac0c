package io.caravan.metrics;

import java.time.Duration;

/**
 * The names Caravan's metrics are exported under, as Micrometer meter names: Prometheus sees the dots as underscores,
 * with the unit ({@code _seconds}) and the counter suffix ({@code _total}) added. The OpenTelemetry GenAI
 * semantic-convention names and attributes where the convention has one, {@code caravan.*} for the rest.
 */
final class MetricNames {

    // OpenTelemetry GenAI semantic conventions (metrics and their attributes)
    static final String REQUEST_DURATION = "gen_ai.server.request.duration";
    static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String OPERATION = "gen_ai.operation.name";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String TOKEN_TYPE = "gen_ai.token.type";
    static final String ERROR_TYPE = "error.type";

    // Caravan's own
    static final String REQUESTS = "caravan.requests";
    static final String REQUESTS_IN_FLIGHT = "caravan.requests.in_flight";
    static final String GATEWAY_DURATION = "caravan.gateway.duration";
    static final String TOKENS = "caravan.tokens";
    static final String ROTATIONS = "caravan.rotations";
    static final String COOLDOWNS = "caravan.cooldowns";
    static final String RELOADS = "caravan.reloads";
    static final String CREDENTIAL_STATE = "caravan.credential.state";
    static final String CREDENTIAL_IN_FLIGHT = "caravan.credential.in_flight";
    static final String CREDENTIAL_MAX_CONCURRENT = "caravan.credential.max_concurrent";
    static final String CREDENTIAL_COOLING = "caravan.credential.cooling_remaining";
    static final String CREDENTIAL_QUEUED = "caravan.credential.queued";
    static final String POOL_WAITING = "caravan.pool.waiting";
    static final String AFFINITY_SESSIONS = "caravan.affinity.sessions";

    // Caravan's labels
    static final String DIALECT = "dialect";
    static final String ENDPOINT = "endpoint";
    static final String MODEL = "model";
    static final String CREDENTIAL = "credential";
    static final String CLIENT = "client";
    static final String STATUS_CLASS = "status_class";
    static final String TYPE = "type";
    static final String REASON = "reason";
    static final String CAUSE = "cause";
    static final String OUTCOME = "outcome";
    static final String STATE = "state";

    /** The value of a label that has none: no credential served the request, no status was sent, no model named. */
    static final String NONE = "none";
    /** The model label of every name the gateway does not know (or past {@code caravan.metrics.max-models}). */
    static final String OTHER = "other";
    /** The client label of a request that carried no known client key. */
    static final String ANONYMOUS = "anonymous";

    /** Request durations, seconds: the GenAI convention's boundaries, stretched to the long answers of reasoning models. */
    static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92, 163.84, 327.68, 655.36);
    /** Time to first token, seconds: the GenAI convention's boundaries, and a few more for slow first tokens. */
    static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0);
    /** The gateway's own share of a request: it should stay well under a millisecond, so the buckets start small. */
    static final Duration[] GATEWAY_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1.0);
    /** Tokens per request: the GenAI convention's boundaries (powers of four). */
    static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
        16777216, 67108864};

    private MetricNames() {
    }

    private static Duration[] seconds(double... values) {
        Duration[] buckets = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            buckets[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return buckets;
    }
}
