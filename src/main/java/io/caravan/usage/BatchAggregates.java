package io.caravan.usage;

import io.caravan.dialect.TokenCounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of records summed per aggregate row (table, bucket start, client, model, credential) in memory, so that
 * a batch of thousands of requests of a few clients costs a few upserts.
 */
final class BatchAggregates {

    /** The aggregates' stand-in for "no credential" (a key column cannot be null). */
    static final String NO_CREDENTIAL = "";

    record Key(AggregateTable table, long bucketStart, String client, String model, String credential) {
    }

    static final class Sums {
        long requests;
        long errors;
        TokenCounts tokens = TokenCounts.NONE;

        void add(UsageRecord record) {
            requests++;
            if (record.isError()) {
                errors++;
            }
            tokens = tokens.plus(record.tokens());
        }
    }

    private final Map<Key, Sums> sums = new LinkedHashMap<>();

    static BatchAggregates of(List<UsageRecord> batch) {
        BatchAggregates aggregates = new BatchAggregates();
        for (UsageRecord record : batch) {
            String client = StoredText.key(record.client());
            String model = StoredText.key(record.model());
            String credential = record.credential() == null ? NO_CREDENTIAL : StoredText.key(record.credential());
            for (AggregateTable table : AggregateTable.values()) {
                Key key = new Key(table, table.floor(record.atMillis()), client, model, credential);
                aggregates.sums.computeIfAbsent(key, k -> new Sums()).add(record);
            }
        }
        return aggregates;
    }

    List<Map.Entry<Key, Sums>> of(AggregateTable table) {
        return sums.entrySet().stream().filter(e -> e.getKey().table() == table).toList();
    }
}
