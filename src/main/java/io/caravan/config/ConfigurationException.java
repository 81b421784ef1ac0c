package io.caravan.config;

/** A configuration problem that stops the gateway from starting; its message is meant for the operator. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
