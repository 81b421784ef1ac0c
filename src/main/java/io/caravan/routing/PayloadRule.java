package io.caravan.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.pool.ModelRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One payload rule: for requests of the models its patterns match (and, when it names credentials, only on those),
 * fields set when the request does not have them ({@code defaults}), fields always set ({@code overrides}), number
 * fields held to a most ({@code caps}) and fields taken out ({@code remove}), on the request as the upstream
 * receives it (in the upstream's dialect). {@link PayloadRewrite} applies it.
 *
 * @param models      the public model names and wildcards it applies to (the name the caller asked for)
 * @param credentials the credential names it applies to; empty for every credential
 * @param defaults    values set where the request has no such field (or it is {@code null})
 * @param overrides   values always set
 * @param caps        numbers a number field is lowered to when it is above them; a field the request lacks stays
 *                    absent
 * @param remove      fields taken out
 */
public record PayloadRule(List<ModelRule> models, Set<String> credentials, Map<FieldPath, JsonNode> defaults,
        Map<FieldPath, JsonNode> overrides, Map<FieldPath, JsonNode> caps, List<FieldPath> remove) {

    /**
     * The top-level fields no rule may touch: the gateway routes and meters by them (the model served, whether the
     * answer streams, the stream's usage report), so a rule changing them would make its answers lie.
     */
    public static final Set<String> GATEWAY_FIELDS = Set.of("model", "stream", "stream_options");

    public PayloadRule {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a payload rule needs at least one model pattern");
        }
        for (JsonNode cap : caps.values()) {
            if (!cap.isNumber()) {
                throw new IllegalArgumentException("a cap must be a number, got " + cap);
            }
        }
        models = List.copyOf(models);
        credentials = Set.copyOf(credentials);
        defaults = ordered(defaults);
        overrides = ordered(overrides);
        caps = ordered(caps);
        remove = List.copyOf(remove);
    }

    /** Whether it applies to a request for {@code model} (the public name) served by the credential named so. */
    public boolean appliesTo(String model, String credential) {
        if (!credentials.isEmpty() && !credentials.contains(credential)) {
            return false;
        }
        for (ModelRule pattern : models) {
            if (pattern.matches(model)) {
                return true;
            }
        }
        return false;
    }

    /** In the file's order, so that the fields a rule adds are added in the order it lists them. */
    private static <V> Map<FieldPath, V> ordered(Map<FieldPath, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
