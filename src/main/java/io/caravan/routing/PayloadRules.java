package io.caravan.routing;

import java.util.ArrayList;
import java.util.List;

/** The credentials file's {@code payload-rules}, in order: changes made to upstream requests per model pattern. */
public record PayloadRules(List<PayloadRule> rules) {

    public static final PayloadRules NONE = new PayloadRules(List.of());

    public PayloadRules {
        rules = List.copyOf(rules);
    }

    /**
     * The rules for a request for {@code model} (the public name) served by the credential named so, in the file's
     * order; an empty list, made without allocating, when none does (the common case, which sends the caller's bytes
     * as they are).
     */
    public List<PayloadRule> applyingTo(String model, String credential) {
        List<PayloadRule> applying = null;
        for (PayloadRule rule : rules) {
            if (rule.appliesTo(model, credential)) {
                if (applying == null) {
                    applying = new ArrayList<>(rules.size());
                }
                applying.add(rule);
            }
        }
        return applying == null ? List.of() : applying;
    }
}
