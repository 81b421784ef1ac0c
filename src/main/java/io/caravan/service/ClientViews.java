package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ClientUsageView;
import java.util.Locale;

/**
 * A client as the APIs show it: name, where it comes from, models, limits, expiry, switch and what it used. Never its
 * key, nor the key's hash.
 */
final class ClientViews {

    private ClientViews() {
    }

    static ObjectNode describe(ObjectMapper mapper, ClientSpec client, ClientUsageView usage) {
        ObjectNode view = mapper.createObjectNode();
        view.put("name", client.name());
        view.put("origin", client.origin().name().toLowerCase(Locale.ROOT));
        client.models().patterns().forEach(view.putArray("models")::add);
        ClientLimits limits = client.limits();
        view.set("limits", limits.toJsonNode());
        if (client.expires() == null) {
            view.putNull("expires");
        } else {
            view.put("expires", client.expires().toString());
        }
        view.put("enabled", client.enabled());
        ObjectNode used = view.putObject("usage");
        used.putObject("minute").put("requests", usage.minuteRequests()).put("tokens", usage.minuteTokens());
        used.putObject("day").put("requests", usage.dayRequests()).put("tokens", usage.dayTokens());
        used.putObject("month").put("requests", usage.monthRequests()).put("tokens", usage.monthTokens());
        if (limits.hasBudget()) {
            view.putObject("budget").put("tokens", limits.budgetTokens()).put("per", limits.budgetPeriod().id())
                    .put("remaining", usage.budgetRemaining());
        } else {
            view.putNull("budget");
        }
        return view;
    }
}
