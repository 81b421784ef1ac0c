package io.caravan.usage;

/** The database could not answer a synchronous call; the message is masked (no password, no user info). */
public final class UsageStoreException extends RuntimeException {

    public UsageStoreException(String message) {
        super(message);
    }
}
