package io.caravan.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Every request received and every client abort observed, with blocking waits for tests. */
final class RequestJournal {

    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<Instant> aborts = new ArrayList<>();
    private int abortsHandedOut;

    synchronized void record(RecordedRequest request) {
        requests.add(request);
        notifyAll();
    }

    synchronized void recordAbort(RecordedRequest request, Instant at) {
        request.markClientAborted(at);
        aborts.add(at);
        notifyAll();
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized int requestCount() {
        return requests.size();
    }

    synchronized int abortCount() {
        return aborts.size();
    }

    /** Waits until at least {@code n} requests have arrived; fails the test on timeout. */
    synchronized List<RecordedRequest> awaitRequests(int n, Duration timeout) {
        awaitCondition(() -> requests.size() >= n, timeout,
                () -> "expected " + n + " request(s) within " + timeout + " but got " + requests.size());
        return List.copyOf(requests);
    }

    /**
     * The moment of the next client abort not yet returned by an earlier call, waiting for it if necessary; fails
     * the test on timeout.
     */
    synchronized Instant awaitAbort(Duration timeout) {
        awaitCondition(() -> aborts.size() > abortsHandedOut, timeout,
                () -> "expected a client abort within " + timeout + " (aborts so far: " + aborts.size() + ")");
        return aborts.get(abortsHandedOut++);
    }

    private void awaitCondition(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw new AssertionError(failure.get());
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
