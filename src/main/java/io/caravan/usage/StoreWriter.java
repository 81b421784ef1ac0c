package io.caravan.usage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes: every flush interval (sooner when a large batch waits) it brings the schema up to date
 * if that is still to do, writes what is pending in batches, and prunes. A failure keeps the batch pending and is
 * retried on the next tick; an outage is logged when it starts and when it ends, drops likewise.
 */
final class StoreWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageStore.class);
    /** Records written in one transaction at most; also the backlog that wakes the writer before its tick. */
    static final int MAX_BATCH = 5000;
    private static final String THREAD_NAME = "caravan-usage-writer";

    private final PooledDatabase database;
    private final PendingRecords pending;
    private final Migrations migrations;
    private final BatchWriter batchWriter;
    private final RetentionPruner pruner;
    private final StoreStatus status;
    private final ErrorMasking masking;
    private final long flushIntervalNanos;
    /** One write cycle at a time: the thread's, or a caller's {@link #cycle()} (flush). */
    private final ReentrantLock cycleLock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean running = true;
    private long droppedReported;
    private boolean dropping;

    StoreWriter(PooledDatabase database, PendingRecords pending, Migrations migrations, BatchWriter batchWriter, RetentionPruner pruner,
            StoreStatus status, ErrorMasking masking, long flushIntervalMillis) {
        this.database = database;
        this.pending = pending;
        this.migrations = migrations;
        this.batchWriter = batchWriter;
        this.pruner = pruner;
        this.status = status;
        this.masking = masking;
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis);
        this.thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A large batch waits: write it now rather than at the tick. Never blocks. */
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        long nextTick = System.nanoTime() + flushIntervalNanos;
        boolean lastCycleOk = true;
        while (running) {
            long wait = nextTick - System.nanoTime();
            // A large backlog is written before the tick, unless the database just failed: then it waits its turn.
            if (wait > 0 && (!lastCycleOk || pending.size() < MAX_BATCH)) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            lastCycleOk = cycle();
            nextTick = System.nanoTime() + flushIntervalNanos;
        }
        if (!pending.isEmpty()) {
            cycle();
        }
    }

    /** Stops the thread after a last cycle; returns whether it ended within the wait. */
    boolean stop(long waitMillis) throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(waitMillis);
        return !thread.isAlive();
    }

    /** Migrates if still needed, writes everything pending, prunes if due; returns whether all of it succeeded. */
    boolean cycle() {
        cycleLock.lock();
        try {
            return migrate() && writePending() && prune() && probeAfterOutage();
        } finally {
            reportDrops();
            cycleLock.unlock();
        }
    }

    /** Brings the schema up to date (once a store); returns whether the database answered, or was not asked. */
    boolean migrate() {
        if (migrations.done()) {
            return true;
        }
        try {
            migrations.ensure();
            reached();
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private boolean writePending() {
        while (!pending.isEmpty()) {
            List<UsageRecord> batch = pending.take(MAX_BATCH);
            try {
                batchWriter.write(batch);
            } catch (SQLException | RuntimeException e) {
                pending.back(batch);
                failed(e);
                return false;
            }
            pending.written(batch);
            status.flushed(System.currentTimeMillis());
            reached();
        }
        return true;
    }

    private boolean prune() {
        try {
            pruner.pruneIfDue(System.currentTimeMillis());
            return true;
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /** With nothing to write, an outage would be reported until the next record: ask the database itself. */
    private boolean probeAfterOutage() {
        if (status.isOk()) {
            return true;
        }
        try (Connection connection = database.connection()) {
            if (connection.isValid((int) TimeUnit.MILLISECONDS.toSeconds(PooledDatabase.CONNECTION_TIMEOUT_MILLIS))) {
                reached();
                return true;
            }
            return false;
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void failed(Exception e) {
        String reason = masking.describe(e);
        if (status.failed(reason, System.currentTimeMillis())) {
            LOG.warn("usage store unavailable: {}; retrying every {} ms, {} records pending", reason,
                    TimeUnit.NANOSECONDS.toMillis(flushIntervalNanos), pending.size());
        }
    }

    private void reached() {
        if (status.reached()) {
            LOG.info("usage store available again; {} records pending", pending.size());
        }
    }

    private void reportDrops() {
        long dropped = pending.dropped();
        if (dropped > droppedReported && !dropping) {
            dropping = true;
            LOG.warn("usage records dropped: the bound of pending records was reached, the oldest are dropped "
                    + "({} so far)", dropped);
        } else if (dropped == droppedReported && dropping) {
            dropping = false;
            LOG.info("usage records no longer dropped; {} dropped in all", dropped);
        }
        droppedReported = dropped;
    }
}
