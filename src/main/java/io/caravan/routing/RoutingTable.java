package io.caravan.routing;

/**
 * The routing rules in force (model fallbacks, payload rules), as the credentials file last gave them: replaced
 * whole by a reload, read once per request.
 */
public final class RoutingTable {

    private volatile Rules rules;

    public RoutingTable(ModelFallbacks fallbacks, PayloadRules payloadRules) {
        this.rules = new Rules(fallbacks, payloadRules);
    }

    /** Both kinds of rules, swapped in one step so that a request never sees half of a reload. */
    public record Rules(ModelFallbacks fallbacks, PayloadRules payloadRules) {
    }

    public Rules rules() {
        return rules;
    }

    public void update(ModelFallbacks fallbacks, PayloadRules payloadRules) {
        rules = new Rules(fallbacks, payloadRules);
    }
}
