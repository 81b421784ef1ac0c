package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.reload.NameChanges;
import io.caravan.reload.ReloadOutcome;

/** A reload's outcome as the admin API shows it. */
final class ReloadViews {

    private ReloadViews() {
    }

    static ObjectNode describe(ObjectMapper mapper, ReloadOutcome outcome) {
        ObjectNode view = mapper.createObjectNode();
        view.put("at", AdminTimes.format(outcome.at()));
        view.put("trigger", outcome.trigger().id());
        view.put("outcome", outcome.result().id());
        view.put("error", outcome.error());
        changes(view.putObject("credentials"), outcome.credentials());
        changes(view.putObject("clients"), outcome.clients());
        return view;
    }

    private static void changes(ObjectNode view, NameChanges changes) {
        names(view.putArray("added"), changes.added());
        names(view.putArray("removed"), changes.removed());
        names(view.putArray("changed"), changes.changed());
    }

    private static void names(ArrayNode array, java.util.List<String> names) {
        names.forEach(array::add);
    }
}
