package io.caravan.routing;

import java.util.List;

/** The credentials file's {@code payload-rules}, in order: changes made to upstream requests per model pattern. */
public record PayloadRules(List<PayloadRule> rules) {

    public static final PayloadRules NONE = new PayloadRules(List.of());

    public PayloadRules {
        rules = List.copyOf(rules);
    }
}
