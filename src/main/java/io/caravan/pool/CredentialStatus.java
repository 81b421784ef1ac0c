package io.caravan.pool;

import java.time.Instant;
import java.util.List;

/**
 * One credential as the admin API shows it, read at one moment (each field is read on its own, so two fields may be
 * a request apart).
 *
 * @param kind its kind's id ({@code openai}, {@code anthropic})
 * @param models its model entries' public names and patterns
 * @param coolingUntil when its cooldown or quarantine ends, or {@code null} when it has none
 * @param coolingCause why it is cooling, or {@code null} when it is not
 * @param coolingStatus the status of the failure that set the cooldown (0 for a fault without one)
 * @param coolingHint what the upstream asked for with that failure (e.g. {@code Retry-After 30s}), or {@code null}
 * @param weight its share of the {@code weighted} strategy's turns
 * @param tier its priority tier (1 serves first)
 * @param queued requests waiting in the pool's queue that this credential could serve
 * @param requests leases since start
 * @param failures leases since start that came back failed
 * @param lastError the last failure, or {@code null}
 */
public record CredentialStatus(
        String name,
        String kind,
        List<String> models,
        boolean enabled,
        CredentialState state,
        Instant coolingUntil,
        CoolingCause coolingCause,
        int coolingStatus,
        String coolingHint,
        int inFlight,
        int maxConcurrent,
        int weight,
        int tier,
        int queued,
        long requests,
        long failures,
        Credential.LastError lastError) {
}
