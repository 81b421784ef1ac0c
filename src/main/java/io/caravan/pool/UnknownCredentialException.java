package io.caravan.pool;

/** No credential of the pool, draining ones included, has the name asked for. */
public class UnknownCredentialException extends IllegalArgumentException {

    private final String credentialName;

    public UnknownCredentialException(String credentialName) {
        super("No credential is named '" + credentialName + "'");
        this.credentialName = credentialName;
    }

    public String credentialName() {
        return credentialName;
    }
}
