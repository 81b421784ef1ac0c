package io.caravan.config;

import io.caravan.pool.CredentialSpec;
import io.caravan.pool.SelectionPolicy;
import io.caravan.routing.ModelFallbacks;
import io.caravan.routing.PayloadRules;
import java.util.List;

/**
 * What the credentials file configures, applied together at start and by every reload: the credentials, how the
 * pool chooses among them ({@code routing}), which models stand in for one that cannot be served
 * ({@code fallbacks}), and what is changed in upstream requests ({@code payload-rules}).
 */
public record CredentialsConfig(List<CredentialSpec> credentials, SelectionPolicy selection,
        ModelFallbacks fallbacks, PayloadRules payloadRules) {

    /** No file: no credentials, and every rule at its default. */
    public static final CredentialsConfig EMPTY =
            new CredentialsConfig(List.of(), SelectionPolicy.DEFAULT, ModelFallbacks.NONE, PayloadRules.NONE);

    public CredentialsConfig {
        credentials = List.copyOf(credentials);
    }

    /** The same rules with another list of credentials (the file's, plus those of the environment and the gateway). */
    public CredentialsConfig withCredentials(List<CredentialSpec> all) {
        return new CredentialsConfig(all, selection, fallbacks, payloadRules);
    }
}
