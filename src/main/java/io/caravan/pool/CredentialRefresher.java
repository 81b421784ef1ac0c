package io.caravan.pool;

/**
 * Renews a credential its upstream rejected with 401, for credentials backed by expiring tokens (OAuth accounts).
 * A credential that was renewed goes straight back into rotation; one that was not is quarantined.
 */
@FunctionalInterface
public interface CredentialRefresher {

    /** Static API keys cannot be renewed: a rejected key stays out until its quarantine ends or it is re-enabled. */
    CredentialRefresher API_KEYS = credential -> false;

    /** Tries to renew the credential; returns whether it can be used again at once. Must not block for long. */
    boolean refresh(Credential credential);
}
