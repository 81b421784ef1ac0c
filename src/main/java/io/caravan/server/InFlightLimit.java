package io.caravan.server;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests the gateway is answering, up to a bound. */
final class InFlightLimit {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    InFlightLimit(int max) {
        this.max = max;
    }

    boolean tryEnter() {
        while (true) {
            int now = inFlight.get();
            if (now >= max) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    int max() {
        return max;
    }

    int current() {
        return inFlight.get();
    }
}
