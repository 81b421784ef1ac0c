package io.caravan.usage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The records not yet written, oldest first, at most {@code maxPending} of them: beyond that the oldest are dropped
 * (and counted), so a database that is away costs bounded memory. The lock is held only to move references in and
 * out of the deque, never around any I/O, so {@link #add} costs the request path no wait worth the name.
 */
final class PendingRecords {

    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<UsageRecord> records = new ArrayDeque<>();
    /** Taken by the writer and neither written nor given back yet; counted in {@link #size()}. */
    private int inFlight;
    private long dropped;

    PendingRecords(int maxPending) {
        this.maxPending = maxPending;
    }

    /** Appends the record; returns how many records are now waiting (to wake the writer for a large batch). */
    int add(UsageRecord record) {
        lock.lock();
        try {
            records.addLast(record);
            trim();
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} of the oldest records for a write; give them {@link #back} if it fails. */
    List<UsageRecord> take(int max) {
        lock.lock();
        try {
            int count = Math.min(max, records.size());
            List<UsageRecord> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(records.pollFirst());
            }
            inFlight += count;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** The batch was written. */
    void written(List<UsageRecord> batch) {
        lock.lock();
        try {
            inFlight -= batch.size();
        } finally {
            lock.unlock();
        }
    }

    /** The batch could not be written: it goes back in front (it is the oldest), the bound still holding. */
    void back(List<UsageRecord> batch) {
        lock.lock();
        try {
            inFlight -= batch.size();
            for (int i = batch.size() - 1; i >= 0; i--) {
                records.addFirst(batch.get(i));
            }
            trim();
        } finally {
            lock.unlock();
        }
    }

    private void trim() {
        while (records.size() > maxPending) {
            records.pollFirst();
            dropped++;
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return records.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Waiting and being written. */
    long size() {
        lock.lock();
        try {
            return records.size() + (long) inFlight;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
