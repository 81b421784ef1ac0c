package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.reload.ConfigReloader;
import io.caravan.reload.ReloadOutcome;
import org.apache.camel.Exchange;

/**
 * {@code GET /admin/v1/config}: the settings in effect (secrets masked), the configuration files and the last
 * reload's outcome; {@code POST /admin/v1/reload}: reloads both files at once, answering the outcome (422 with
 * code {@value #CONFIG_INVALID} when a file was refused). Every call needs an admin key.
 */
public final class AdminConfigEndpoints {

    static final String CONFIG_INVALID = "config_invalid";

    private final AdminAuthenticator admins;
    private final ConfigReloader reloader;
    private final EffectiveSettings settings;
    private final ObjectMapper mapper;

    public AdminConfigEndpoints(AdminAuthenticator admins, ConfigReloader reloader, EffectiveSettings settings,
            ObjectMapper mapper) {
        this.admins = admins;
        this.reloader = reloader;
        this.settings = settings;
        this.mapper = mapper;
    }

    public void config(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        ObjectNode answer = mapper.createObjectNode();
        ObjectNode values = answer.putObject("settings");
        settings.masked().forEach(values::put);
        answer.putObject("files")
                .put("credentials", reloader.credentialsFile().toAbsolutePath().toString())
                .put("clients", reloader.clientsFile().toAbsolutePath().toString());
        answer.set("last_reload", ReloadViews.describe(mapper, reloader.last()));
        JsonAnswers.json(call.response(), call.requestId(), 200, answer);
    }

    public void reload(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        ReloadOutcome outcome = reloader.reload(ReloadOutcome.Trigger.ADMIN);
        if (!outcome.refused()) {
            JsonAnswers.json(call.response(), call.requestId(), 200, ReloadViews.describe(mapper, outcome));
            return;
        }
        ObjectNode error = DialectErrors.node(Dialects.OPENAI, 422, outcome.error(), CONFIG_INVALID, call.requestId());
        error.set("reload", ReloadViews.describe(mapper, outcome));
        JsonAnswers.json(call.response(), call.requestId(), 422, error);
    }
}
