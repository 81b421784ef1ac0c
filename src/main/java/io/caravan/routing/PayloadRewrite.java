package io.caravan.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Applies payload rules to an upstream request body. Within a rule: its defaults, then its overrides, then its
 * caps, then its removals; rules one after the other in the file's order, each on what the one before left.
 */
public final class PayloadRewrite {

    private PayloadRewrite() {
    }

    /**
     * Applies the rules to {@code body}, which the caller owns at the top level; objects below it are copied before
     * they are changed ({@link FieldPath}), so that parts shared with other trees stay as they are.
     */
    public static void apply(List<PayloadRule> rules, ObjectNode body) {
        for (PayloadRule rule : rules) {
            apply(rule, body);
        }
    }

    static void apply(PayloadRule rule, ObjectNode body) {
        for (Map.Entry<FieldPath, JsonNode> entry : rule.defaults().entrySet()) {
            if (entry.getKey().get(body) == null) {
                entry.getKey().set(body, entry.getValue());
            }
        }
        for (Map.Entry<FieldPath, JsonNode> entry : rule.overrides().entrySet()) {
            entry.getKey().set(body, entry.getValue());
        }
        for (Map.Entry<FieldPath, JsonNode> entry : rule.caps().entrySet()) {
            JsonNode current = entry.getKey().get(body);
            JsonNode cap = entry.getValue();
            if (current != null && current.isNumber() && current.decimalValue().compareTo(cap.decimalValue()) > 0) {
                entry.getKey().set(body, cap);
            }
        }
        for (FieldPath path : rule.remove()) {
            path.remove(body);
        }
    }
}
