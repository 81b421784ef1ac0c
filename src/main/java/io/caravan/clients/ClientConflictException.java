package io.caravan.clients;

/**
 * A change to the clients that clashes with what exists: a name or a key already taken, or a client the change may
 * not touch (one from the clients file or the settings, when only run-time clients may change). The admin API
 * answers it with 409; the message names clients, never a key.
 */
public class ClientConflictException extends RuntimeException {

    public ClientConflictException(String message) {
        super(message);
    }
}
