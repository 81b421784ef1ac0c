package io.caravan.usage;

import java.util.Objects;

/**
 * Where and how the usage store keeps its records.
 *
 * @param url                  {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/database}
 * @param username             the database user, or {@code null} (SQLite needs none)
 * @param password             the database password, or {@code null}; never shown by {@link #toString()}
 * @param flushIntervalMillis  how often pending records are written (at most this much is lost to a kill -9)
 * @param maxPending           records held in memory at most while the database is slow or away; the oldest go first
 * @param requestRetentionDays how long the raw request rows are kept
 * @param minuteRetentionDays  how long the per-minute aggregates are kept (hour and day aggregates are kept)
 */
public record StoreSettings(String url, String username, String password, long flushIntervalMillis, int maxPending,
        int requestRetentionDays, int minuteRetentionDays) {

    public static final String DEFAULT_URL = "jdbc:sqlite:caravan.db";
    public static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 1000;
    public static final int DEFAULT_MAX_PENDING = 100_000;
    public static final int DEFAULT_REQUEST_RETENTION_DAYS = 30;
    public static final int DEFAULT_MINUTE_RETENTION_DAYS = 7;

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (flushIntervalMillis <= 0) {
            throw new IllegalArgumentException("the store's flush interval must be positive, got " + flushIntervalMillis);
        }
        if (maxPending <= 0) {
            throw new IllegalArgumentException("the store's max pending records must be positive, got " + maxPending);
        }
        if (requestRetentionDays <= 0 || minuteRetentionDays <= 0) {
            throw new IllegalArgumentException("the store's retention days must be positive, got "
                    + requestRetentionDays + " and " + minuteRetentionDays);
        }
    }

    /** The defaults, at this URL, without user or password. */
    public static StoreSettings of(String url) {
        return new StoreSettings(url, null, null, DEFAULT_FLUSH_INTERVAL_MILLIS, DEFAULT_MAX_PENDING,
                DEFAULT_REQUEST_RETENTION_DAYS, DEFAULT_MINUTE_RETENTION_DAYS);
    }

    public StoreSettings withCredentials(String newUsername, String newPassword) {
        return new StoreSettings(url, newUsername, newPassword, flushIntervalMillis, maxPending, requestRetentionDays,
                minuteRetentionDays);
    }

    public StoreSettings withFlushIntervalMillis(long millis) {
        return new StoreSettings(url, username, password, millis, maxPending, requestRetentionDays, minuteRetentionDays);
    }

    public StoreSettings withMaxPending(int records) {
        return new StoreSettings(url, username, password, flushIntervalMillis, records, requestRetentionDays,
                minuteRetentionDays);
    }

    public StoreSettings withRetentionDays(int requestDays, int minuteDays) {
        return new StoreSettings(url, username, password, flushIntervalMillis, maxPending, requestDays, minuteDays);
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + DatabaseUrl.display(url) + ", username=" + (username == null ? "-" : "(set)")
                + ", password=" + (password == null ? "-" : "(set)") + ", flushIntervalMillis=" + flushIntervalMillis
                + ", maxPending=" + maxPending + ", requestRetentionDays=" + requestRetentionDays
                + ", minuteRetentionDays=" + minuteRetentionDays + "]";
    }
}
