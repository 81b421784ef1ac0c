package io.caravan.pool;

import java.time.Duration;

/**
 * Hears what the pool decides about its credentials, for metrics. Called on the thread that returned a lease (often
 * an event loop): an implementation only counts, never blocks and never throws.
 */
@FunctionalInterface
public interface PoolListener {

    /** A failed attempt put {@code credential} to cool for {@code duration}, for {@code cause}. */
    void cooledDown(Credential credential, CoolingCause cause, Duration duration);
}
