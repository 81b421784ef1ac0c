package io.caravan.usage;

import io.caravan.dialect.TokenCounts;
import java.util.Objects;

/**
 * One answered request, as metered: refused and failed requests too (with {@link TokenCounts#NONE}).
 *
 * @param atMillis      when the request arrived (epoch millis); it decides the aggregate buckets
 * @param model         the model the caller asked for
 * @param upstreamModel the model the upstream answered with, or {@code null} when no upstream answered
 * @param credential    the credential that served the last attempt, or {@code null} when refused before any
 * @param ttfbMillis    time to the first byte of the answer, or -1 when there was none
 */
public record UsageRecord(long atMillis, String requestId, String client, String model, String upstreamModel,
        String credential, String dialect, String endpoint, boolean stream, int status, int attempts,
        TokenCounts tokens, double ttfbMillis, double totalMillis) {

    /** {@link #ttfbMillis} of a request that got no first byte. */
    public static final double NO_FIRST_BYTE = -1;

    public UsageRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(tokens, "tokens");
    }

    /** What the aggregates count as an error. */
    public boolean isError() {
        return status >= 400;
    }
}
