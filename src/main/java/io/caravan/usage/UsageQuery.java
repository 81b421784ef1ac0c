package io.caravan.usage;

import java.util.EnumSet;
import java.util.Set;

/**
 * A question about usage: the aggregates of the buckets that start in {@code [fromMillis, toMillis)}, filtered and
 * grouped. Precision is one minute: a range edge inside a minute counts the minute starting after it (from) or
 * before it (to) whole.
 *
 * @param client     only this client, or {@code null} for all
 * @param model      only this requested model, or {@code null} for all
 * @param credential only this credential, or {@code null} for all
 * @param groupBy    the names rows are told apart by (the others are summed over)
 * @param bucket     the time grouping, or {@code null} for one row per group over the whole range
 */
public record UsageQuery(long fromMillis, long toMillis, String client, String model, String credential,
        Set<UsageGroup> groupBy, TimeBucket bucket) {

    public UsageQuery {
        if (fromMillis >= toMillis) {
            throw new IllegalArgumentException("a usage query's from must be before its to");
        }
        groupBy = groupBy.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groupBy));
    }
}
