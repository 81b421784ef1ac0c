package io.caravan.usage;

/** The time grouping of usage rows: minutes, UTC hours or UTC days. */
public enum TimeBucket {
    MINUTE(AggregateTable.MINUTES.bucketMillis()),
    HOUR(AggregateTable.HOURS.bucketMillis()),
    DAY(AggregateTable.DAYS.bucketMillis());

    private final long millis;

    TimeBucket(long millis) {
        this.millis = millis;
    }

    public long millis() {
        return millis;
    }

    /** The start of the bucket that holds this instant. */
    public long floor(long atMillis) {
        return Math.floorDiv(atMillis, millis) * millis;
    }
}
