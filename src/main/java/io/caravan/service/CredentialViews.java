package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.pool.CoolingCause;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialStatus;
import java.util.Locale;

/** A credential as {@code /admin/v1/credentials} shows it (never its key nor its URL's secrets). */
final class CredentialViews {

    private CredentialViews() {
    }

    static ObjectNode describe(ObjectMapper mapper, CredentialStatus status) {
        ObjectNode view = mapper.createObjectNode();
        view.put("name", status.name());
        view.put("kind", status.kind());
        ArrayNode models = view.putArray("models");
        status.models().forEach(models::add);
        view.put("enabled", status.enabled());
        view.put("state", status.state().id());
        view.put("cooling_until", AdminTimes.format(status.coolingUntil()));
        if (status.coolingCause() == null) {
            view.putNull("cooling_reason");
        } else {
            view.putObject("cooling_reason")
                    .put("cause", cause(status.coolingCause()))
                    .put("status", status.coolingStatus())
                    .put("hint", status.coolingHint());
        }
        view.put("in_flight", status.inFlight());
        view.put("max_concurrent", status.maxConcurrent());
        view.put("weight", status.weight());
        view.put("tier", status.tier());
        view.put("queued", status.queued());
        view.put("requests", status.requests());
        view.put("failures", status.failures());
        Credential.LastError error = status.lastError();
        if (error == null) {
            view.putNull("last_error");
        } else {
            view.putObject("last_error")
                    .put("status", error.status())
                    .put("at", AdminTimes.format(error.at()))
                    .put("message", error.message());
        }
        return view;
    }

    private static String cause(CoolingCause cause) {
        return cause.name().toLowerCase(Locale.ROOT);
    }
}
