package io.caravan.testing;

import java.time.Duration;

/** Counts the TCP connections the fake has accepted and still holds open, with a blocking wait for tests. */
final class ConnectionTracker {

    private int open;
    private int accepted;

    synchronized void opened() {
        open++;
        accepted++;
        notifyAll();
    }

    synchronized void closed() {
        open--;
        notifyAll();
    }

    synchronized int open() {
        return open;
    }

    synchronized int accepted() {
        return accepted;
    }

    /** Waits until exactly {@code n} connections are open; fails the test on timeout. */
    synchronized void awaitOpen(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open != n) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw new AssertionError("expected " + n + " open connection(s) within " + timeout + " but " + open
                        + " are open");
            }
            try {
                wait(remainingMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }
}
