package io.caravan.pool;

import java.util.Locale;

/** What a credential is doing now, as the admin API shows it; the first that applies, in this order from the end. */
public enum CredentialState {
    /** Leased when a request needs it. */
    READY,
    /** Out of rotation until its cooldown after a rate limit or an upstream fault ends. */
    COOLING,
    /** Out of rotation after its key was rejected (401), until the quarantine ends or it is reset. */
    QUARANTINED,
    /** Taken out of rotation by the credentials file or the admin API. */
    DISABLED,
    /** Removed from the configuration: leased no more, shown until its requests in flight have ended. */
    DRAINING;

    /** The lower-case id the admin API uses. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
