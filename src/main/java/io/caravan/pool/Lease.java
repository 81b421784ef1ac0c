package io.caravan.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to send one request with one credential. Released exactly once: later releases are ignored, so
 * every path (success, failure, caller gone, exception) may release without coordinating with the others.
 */
public final class Lease {

    private final Credential credential;
    private final CredentialPool pool;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(Credential credential, CredentialPool pool) {
        this.credential = credential;
        this.pool = pool;
    }

    public Credential credential() {
        return credential;
    }

    public boolean released() {
        return released.get();
    }

    /** Returns the credential to the pool, applying the outcome's cooldown; only the first call counts. */
    public void release(Outcome outcome) {
        if (released.compareAndSet(false, true)) {
            pool.onRelease(credential, outcome);
        }
    }
}
