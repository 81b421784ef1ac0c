package io.caravan.usage;

/**
 * The usage store's state for {@code /healthz} and the admin API.
 *
 * @param ok                whether the last attempt to reach the database (migrate or write) succeeded
 * @param lastError         why the last failed attempt failed, secrets masked, or {@code null} if none failed
 * @param lastErrorAtMillis when it failed, or 0
 * @param pending           records held in memory, not yet written
 * @param dropped           records dropped (the oldest) because {@link StoreSettings#maxPending()} was reached, in all
 * @param lastFlushAtMillis when records were last written, or 0
 * @param database          the database URL without user, password or parameters
 */
public record StoreHealth(boolean ok, String lastError, long lastErrorAtMillis, long pending, long dropped,
        long lastFlushAtMillis, String database) {
}
