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
