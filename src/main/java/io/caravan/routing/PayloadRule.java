package io.caravan.routing;

import io.caravan.pool.ModelRule;
import java.util.List;
import java.util.Map;

/**
 * One payload rule: for requests of the models its patterns match (and, when it names credentials, only on those),
 * fields set when the caller did not ({@code defaults}), fields always set ({@code overrides}) and fields taken out
 * ({@code remove}), on the request as the upstream receives it (in the upstream's dialect).
 *
 * @param credentials the credential names it applies to; empty for every credential
 */
public record PayloadRule(List<ModelRule> models, List<String> credentials, Map<String, Object> defaults,
        Map<String, Object> overrides, List<String> remove) {

    public PayloadRule {
        models = List.copyOf(models);
        credentials = List.copyOf(credentials);
        defaults = Map.copyOf(defaults);
        overrides = Map.copyOf(overrides);
        remove = List.copyOf(remove);
    }
}
