package io.caravan.usage;

import io.caravan.dialect.TokenCounts;

/**
 * One row of a usage answer. The names not grouped by, and the bucket start without time grouping, are {@code null};
 * so is the credential of requests refused before any credential served them.
 */
public record UsageRow(String client, String model, String credential, Long bucketStartMillis, long requests,
        long errors, TokenCounts tokens) {
}
