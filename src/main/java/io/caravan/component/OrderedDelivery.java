package io.caravan.component;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one request's hand-offs (each streamed event to {@code streamTo}, then the request's own completion) one at a
 * time in the order they came, on the component's threads: the gateway's event loop that relays the stream never
 * runs a route of the caller's, and never waits for one.
 */
final class OrderedDelivery {

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    OrderedDelivery(Executor executor) {
        this.executor = executor;
    }

    void submit(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    /** One drain at a time: whoever took the count from zero runs every task until it is back at zero. */
    private void drain() {
        do {
            tasks.poll().run();
        } while (pending.decrementAndGet() > 0);
    }
}
