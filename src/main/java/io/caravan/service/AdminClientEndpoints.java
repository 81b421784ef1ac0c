package io.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.clients.ClientConflictException;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.Expiry;
import io.caravan.clients.ModelAllowList;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.usage.UsageStoreException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * {@code /admin/v1/clients}: every client with its limits and usage ({@code GET}); a key made at run time
 * ({@code POST {name, models, limits, expires, enabled}} → {@code 201 {name, key, …}}, the key shown this once);
 * changed ({@code PATCH /admin/v1/clients/{name}}) and revoked ({@code DELETE}, {@code 204}). Clients of the clients
 * file are changed in the file: the API answers 409 for them. Every call needs an admin key.
 */
public final class AdminClientEndpoints {

    /** The path parameter platform-http sets as a message header. */
    public static final String NAME_HEADER = "name";
    private static final Set<String> FIELDS = Set.of("name", "models", "limits", "expires", "enabled");

    private final AdminAuthenticator admins;
    private final ClientRegistry registry;
    private final ClientLimiter limiter;
    private final RuntimeClients runtimeClients;
    private final ObjectMapper mapper;

    public AdminClientEndpoints(AdminAuthenticator admins, ClientRegistry registry, ClientLimiter limiter,
            RuntimeClients runtimeClients, ObjectMapper mapper) {
        this.admins = admins;
        this.registry = registry;
        this.limiter = limiter;
        this.runtimeClients = runtimeClients;
        this.mapper = mapper;
    }

    public void list(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        long now = System.currentTimeMillis();
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode data = answer.putArray("data");
        for (ClientSpec client : registry.all()) {
            data.add(ClientViews.describe(mapper, client, limiter.usage(client, now)));
        }
        JsonAnswers.json(call.response(), call.requestId(), 200, answer);
    }

    public void create(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        if (!runtimeClients.available()) {
            call.error(503, "Keys can be made at run time only with a database (caravan.store.url)", null);
            return;
        }
        try {
            JsonNode body = body(exchange);
            JsonNode name = body.get("name");
            if (name == null || !name.isTextual() || !ClientSpec.NAME.matcher(name.asText()).matches()) {
                throw new IllegalArgumentException("'name' must be 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            String key = runtimeClients.create(name.asText(), models(body, ModelAllowList.ALL),
                    limits(body, ClientLimits.NONE), expires(body, null), enabled(body, true));
            ClientSpec made = registry.byName(name.asText());
            ObjectNode answer = ClientViews.describe(mapper, made, limiter.usage(made, System.currentTimeMillis()));
            answer.put("key", key);
            JsonAnswers.json(call.response(), call.requestId(), 201, answer);
        } catch (RuntimeException | IOException e) {
            refuse(call, e);
        }
    }

    public void update(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        try {
            String name = exchange.getIn().getHeader(NAME_HEADER, String.class);
            ClientSpec old = registry.byName(name);
            if (old == null) {
                throw new NoSuchElementException("No client is named '" + name + "'");
            }
            JsonNode body = body(exchange);
            if (body.has("name") && !name.equals(body.get("name").asText())) {
                throw new IllegalArgumentException("'name' cannot be changed; make a new client instead");
            }
            ClientSpec updated = runtimeClients.update(name, models(body, old.models()), limits(body, old.limits()),
                    expires(body, old.expires()), enabled(body, old.enabled()));
            JsonAnswers.json(call.response(), call.requestId(), 200,
                    ClientViews.describe(mapper, updated, limiter.usage(updated, System.currentTimeMillis())));
        } catch (RuntimeException | IOException e) {
            refuse(call, e);
        }
    }

    public void delete(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        try {
            runtimeClients.delete(exchange.getIn().getHeader(NAME_HEADER, String.class));
            JsonAnswers.empty(call.response(), call.requestId(), 204);
        } catch (RuntimeException e) {
            refuse(call, e);
        }
    }

    private static void refuse(AdminCall call, Exception e) {
        if (e instanceof NoSuchElementException) {
            call.error(404, e.getMessage(), null);
        } else if (e instanceof ClientConflictException) {
            call.error(409, e.getMessage(), null);
        } else if (e instanceof UsageStoreException) {
            call.error(503, "The database could not be written, nothing was changed: " + e.getMessage(), null);
        } else if (e instanceof IllegalArgumentException || e instanceof IOException) {
            call.error(400, e.getMessage(), "invalid_request_error");
        } else {
            throw (RuntimeException) e;
        }
    }

    private JsonNode body(Exchange exchange) throws IOException {
        Object raw = exchange.getIn().getBody();
        byte[] bytes = raw instanceof Buffer buffer ? buffer.getBytes() : exchange.getIn().getBody(byte[].class);
        JsonNode body;
        try {
            body = bytes == null || bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (IOException notJson) {
            throw new IOException("The request body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new IOException("The request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("Unknown field '" + field + "' (allowed: name, models, limits, "
                        + "expires, enabled)");
            }
        }
        return body;
    }

    private static ModelAllowList models(JsonNode body, ModelAllowList unchanged) {
        JsonNode models = body.get("models");
        if (models == null) {
            return unchanged;
        }
        if (!models.isArray()) {
            throw new IllegalArgumentException("'models' must be an array of model names and * patterns");
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode model : models) {
            if (!model.isTextual()) {
                throw new IllegalArgumentException("'models' must be an array of model names and * patterns");
            }
            patterns.add(model.asText());
        }
        return ModelAllowList.of(patterns);
    }

    private static ClientLimits limits(JsonNode body, ClientLimits unchanged) {
        return body.has("limits") ? ClientLimits.fromJson(body.get("limits")) : unchanged;
    }

    private static Instant expires(JsonNode body, Instant unchanged) {
        JsonNode expires = body.get("expires");
        if (expires == null) {
            return unchanged;
        }
        if (expires.isNull()) {
            return null;
        }
        if (!expires.isTextual()) {
            throw new IllegalArgumentException("'expires' must be a date or a time, e.g. 2027-01-01T00:00:00Z");
        }
        return Expiry.parse(expires.asText());
    }

    private static boolean enabled(JsonNode body, boolean unchanged) {
        JsonNode enabled = body.get("enabled");
        if (enabled == null) {
            return unchanged;
        }
        if (!enabled.isBoolean()) {
            throw new IllegalArgumentException("'enabled' must be true or false");
        }
        return enabled.asBoolean();
    }
}
