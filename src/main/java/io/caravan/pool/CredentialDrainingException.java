package io.caravan.pool;

/** A credential removed from the configuration cannot be put back into rotation; only the file can add it again. */
public class CredentialDrainingException extends IllegalStateException {

    public CredentialDrainingException(String credentialName) {
        super("Credential '" + credentialName + "' was removed from the credentials file and is draining; add it to "
                + "the file again to use it");
    }
}
