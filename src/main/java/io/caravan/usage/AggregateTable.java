package io.caravan.usage;

/** The three aggregate tables, finest first: one row per bucket start, client, model and credential. */
enum AggregateTable {
    MINUTES("usage_minutes", 60_000L),
    HOURS("usage_hours", 3_600_000L),
    DAYS("usage_days", 86_400_000L);

    private final String tableName;
    private final long bucketMillis;

    AggregateTable(String tableName, long bucketMillis) {
        this.tableName = tableName;
        this.bucketMillis = bucketMillis;
    }

    String tableName() {
        return tableName;
    }

    long bucketMillis() {
        return bucketMillis;
    }

    long floor(long atMillis) {
        return Math.floorDiv(atMillis, bucketMillis) * bucketMillis;
    }

    long ceil(long atMillis) {
        long floor = floor(atMillis);
        return floor == atMillis ? floor : floor + bucketMillis;
    }
}
