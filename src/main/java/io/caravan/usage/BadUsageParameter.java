package io.caravan.usage;

/** A usage query parameter that cannot be used; the message names it and says what is allowed. */
public final class BadUsageParameter extends RuntimeException {

    private final String parameterName;

    public BadUsageParameter(String parameterName, String message) {
        super(message);
        this.parameterName = parameterName;
    }

    public String parameterName() {
        return parameterName;
    }
}
