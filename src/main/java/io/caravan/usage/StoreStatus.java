package io.caravan.usage;

/**
 * Whether the database answered the last attempt, and why not; tells its caller when the state changed, so that
 * an outage is logged once when it starts and once when it ends, whatever the number of retries between.
 */
final class StoreStatus {

    private boolean ok = true;
    private String lastError;
    private long lastErrorAtMillis;
    private long lastFlushAtMillis;

    /** Returns whether this failure starts an outage. */
    synchronized boolean failed(String reason, long nowMillis) {
        boolean started = ok;
        ok = false;
        lastError = reason;
        lastErrorAtMillis = nowMillis;
        return started;
    }

    /** Returns whether this success ends an outage. */
    synchronized boolean reached() {
        boolean recovered = !ok;
        ok = true;
        return recovered;
    }

    synchronized boolean isOk() {
        return ok;
    }

    synchronized void flushed(long nowMillis) {
        lastFlushAtMillis = nowMillis;
    }

    synchronized StoreHealth health(long pending, long dropped, String database) {
        return new StoreHealth(ok, lastError, lastErrorAtMillis, pending, dropped, lastFlushAtMillis, database);
    }
}
