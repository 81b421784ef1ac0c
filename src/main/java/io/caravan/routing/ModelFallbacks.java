package io.caravan.routing;

import java.util.List;
import java.util.Map;

/**
 * Per requested model, the models tried in order when none of its credentials can serve it (the credentials file's
 * {@code fallbacks: {gpt-5: [gpt-5-mini, claude-sonnet-4-5]}}).
 */
public record ModelFallbacks(Map<String, List<String>> chains) {

    public static final ModelFallbacks NONE = new ModelFallbacks(Map.of());

    public ModelFallbacks {
        chains = Map.copyOf(chains);
    }

    /** The fallbacks of a requested model, in order; empty when it has none. */
    public List<String> of(String model) {
        return chains.getOrDefault(model, List.of());
    }
}
