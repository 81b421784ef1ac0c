package io.caravan.ingress;

import io.caravan.clients.Admission;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientSpec;
import io.caravan.exchange.CallerError;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a client may make this request now: its model allow-list, then its limits as the {@link ClientLimiter}
 * counts them across every dialect and endpoint of the key. A refusal is a {@link CallerError} the caller gets in
 * its own dialect, before any credential is leased; it never reaches an upstream.
 */
public final class ClientAdmission {

    static final String RATE_LIMITED = "rate_limit_exceeded";
    static final String INSUFFICIENT_QUOTA = "insufficient_quota";
    static final String MODEL_NOT_ALLOWED = "model_not_allowed";

    private final ClientLimiter limiter;

    public ClientAdmission(ClientLimiter limiter) {
        this.limiter = limiter;
    }

    /** @throws CallerError 403 when the client's allow-list does not name {@code model} */
    public static void checkModel(ClientSpec client, String model) throws CallerError {
        if (!client.models().allows(model)) {
            throw new CallerError(403, "The client key of '" + client.name() + "' may not use model '" + model
                    + "': it is not in the key's model allow-list", MODEL_NOT_ALLOWED);
        }
    }

    /**
     * Admits the request or refuses it; either way the admission's rate-limit headers are for the answer. A granted
     * one holds the client's slot until {@link ClientLimiter#complete}; a refused one is answered with
     * {@link #refusal}.
     */
    public Admission admit(ClientSpec client) {
        return limiter.admit(client, System.currentTimeMillis());
    }

    /** Counts tokens of the admitted request's answer against its client's limits and budget, as they are reported. */
    public void charge(Admission admitted, long tokens) {
        limiter.charge(admitted, tokens, System.currentTimeMillis());
    }

    /** The admitted request no longer holds its client's concurrency slot (its answer is written). */
    public void release(Admission admitted) {
        limiter.release(admitted);
    }

    /** The 429 a refused admission is answered with, {@code Retry-After} included. */
    public static CallerError refusal(ClientSpec client, Admission admission) {
        ClientLimits limits = client.limits();
        Duration retryAfter = Duration.ofMillis(admission.retryAfterMillis());
        String who = "The client key of '" + client.name() + "'";
        return switch (admission.kind()) {
            case BUDGET -> new CallerError(429, who + " has spent its token budget of " + limits.budgetTokens()
                    + " tokens per " + limits.budgetPeriod().id() + "; the budget renews at "
                    + Instant.ofEpochMilli(System.currentTimeMillis() + admission.retryAfterMillis())
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    INSUFFICIENT_QUOTA, retryAfter);
            case CONCURRENCY -> new CallerError(429, who + " already has " + limits.maxConcurrent()
                    + " requests in flight, its max-concurrent limit", RATE_LIMITED, retryAfter);
            case REQUESTS -> new CallerError(429, who + " reached its rate limit of " + limits.requestsPerMinute()
                    + " requests per minute", RATE_LIMITED, retryAfter);
            case TOKENS -> new CallerError(429, who + " reached its rate limit of " + limits.tokensPerMinute()
                    + " tokens per minute", RATE_LIMITED, retryAfter);
            case GRANTED -> throw new IllegalArgumentException("a granted admission is no refusal");
        };
    }
}
