package io.caravan.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** Deletes the raw rows and the minute aggregates past their retention; hours and days are kept. */
final class RetentionPruner {

    /** How often the writer prunes, once the database is reachable. */
    static final long INTERVAL_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final PooledDatabase database;
    private final long requestRetentionMillis;
    private final long minuteRetentionMillis;
    private long nextAtMillis;

    RetentionPruner(PooledDatabase database, StoreSettings settings) {
        this.database = database;
        this.requestRetentionMillis = TimeUnit.DAYS.toMillis(settings.requestRetentionDays());
        this.minuteRetentionMillis = TimeUnit.DAYS.toMillis(settings.minuteRetentionDays());
    }

    /** Prunes when due (the first time at once); called by the writer thread only. */
    void pruneIfDue(long nowMillis) throws SQLException {
        if (nowMillis < nextAtMillis) {
            return;
        }
        try (Connection connection = database.connection()) {
            delete(connection, "DELETE FROM usage_requests WHERE at_millis < ?", nowMillis - requestRetentionMillis);
            delete(connection, "DELETE FROM " + AggregateTable.MINUTES.tableName() + " WHERE bucket_start < ?",
                    nowMillis - minuteRetentionMillis);
        }
        nextAtMillis = nowMillis + INTERVAL_MILLIS;
    }

    private static void delete(Connection connection, String sql, long before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, before);
            delete.executeUpdate();
        }
    }
}
