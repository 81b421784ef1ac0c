package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TokenCounts;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.usage.BadUsageParameter;
import io.caravan.usage.StoreHealth;
import io.caravan.usage.TimeBucket;
import io.caravan.usage.UsageQuery;
import io.caravan.usage.UsageQueryParameters;
import io.caravan.usage.UsageRow;
import io.caravan.usage.UsageStore;
import io.caravan.usage.UsageStoreException;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * {@code GET /admin/v1/usage?from=&to=&client=&model=&credential=&group_by=client,model,credential,minute|hour|day}: rows of
 * requests, errors and each token type, read from the database's totals; and {@code GET /admin/v1/store}: whether
 * the database takes the records ({@link StoreHealth}). Every call needs an admin key.
 */
public final class AdminUsageEndpoints {

    private final AdminAuthenticator admins;
    private final UsageStore store;
    private final ObjectMapper mapper;

    /** @param store {@code null} when no database is configured */
    public AdminUsageEndpoints(AdminAuthenticator admins, UsageStore store, ObjectMapper mapper) {
        this.admins = admins;
        this.store = store;
        this.mapper = mapper;
    }

    public void usage(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        if (store == null) {
            call.error(503, "Nothing is metered without a database (caravan.store.url)", null);
            return;
        }
        UsageQuery query;
        try {
            query = UsageQueryParameters.parse(parameters(exchange), System.currentTimeMillis());
        } catch (BadUsageParameter bad) {
            call.error(400, bad.getMessage(), "invalid_request_error");
            return;
        }
        try {
            ObjectNode answer = mapper.createObjectNode();
            answer.put("from", Instant.ofEpochMilli(query.fromMillis()).toString());
            answer.put("to", Instant.ofEpochMilli(query.toMillis()).toString());
            ArrayNode data = answer.putArray("data");
            for (UsageRow row : store.usage(query)) {
                data.add(row(row, query.bucket()));
            }
            JsonAnswers.json(call.response(), call.requestId(), 200, answer);
        } catch (UsageStoreException unavailable) {
            call.error(503, "The database could not be read: " + unavailable.getMessage(), null);
        }
    }

    public void storeHealth(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call != null) {
            JsonAnswers.json(call.response(), call.requestId(), 200, health(mapper, store, true));
        }
    }

    /**
     * The store's state, as {@code /healthz} and the admin API show it.
     *
     * @param detailed with the database's name and the last error's text, for the admin API only: {@code /healthz}
     *     answers anyone, and neither is anyone's business
     */
    static ObjectNode health(ObjectMapper mapper, UsageStore store, boolean detailed) {
        ObjectNode view = mapper.createObjectNode();
        if (store == null) {
            view.put("status", "off");
            return view;
        }
        StoreHealth health = store.health();
        view.put("status", health.ok() ? "ok" : "unavailable");
        view.put("pending", health.pending());
        view.put("dropped", health.dropped());
        putTime(view, "last_flush", health.lastFlushAtMillis());
        putTime(view, "last_error_at", health.lastErrorAtMillis());
        if (detailed) {
            view.put("database", health.database());
            if (health.lastError() == null) {
                view.putNull("last_error");
            } else {
                view.put("last_error", health.lastError());
            }
        }
        return view;
    }

    private static void putTime(ObjectNode view, String field, long epochMillis) {
        if (epochMillis == 0) {
            view.putNull(field);
        } else {
            view.put(field, Instant.ofEpochMilli(epochMillis).toString());
        }
    }

    private ObjectNode row(UsageRow row, TimeBucket bucket) {
        ObjectNode view = mapper.createObjectNode();
        if (row.client() != null) {
            view.put("client", row.client());
        }
        if (row.model() != null) {
            view.put("model", row.model());
        }
        if (row.credential() != null) {
            view.put("credential", row.credential());
        }
        if (row.bucketStartMillis() != null) {
            Instant start = Instant.ofEpochMilli(row.bucketStartMillis());
            switch (bucket) {
                case DAY -> view.put("day", start.atOffset(ZoneOffset.UTC).toLocalDate().toString());
                case HOUR -> view.put("hour", start.toString());
                case MINUTE -> view.put("minute", start.toString());
            }
        }
        view.put("requests", row.requests());
        view.put("errors", row.errors());
        TokenCounts tokens = row.tokens();
        view.put("input_tokens", tokens.input());
        view.put("output_tokens", tokens.output());
        view.put("cache_read_tokens", tokens.cacheRead());
        view.put("cache_write_tokens", tokens.cacheWrite());
        view.put("reasoning_tokens", tokens.reasoning());
        return view;
    }

    /**
     * The query's parameters, one given twice as its values joined by commas: {@code group_by=client&group_by=model}
     * means {@code group_by=client,model}, and a second {@code from} makes no time, which the parser refuses.
     */
    private static Map<String, String> parameters(Exchange exchange) {
        MultiMap params = exchange.getIn(HttpMessage.class).getRequest().params();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : params.names()) {
            parameters.put(name, String.join(",", params.getAll(name)));
        }
        return parameters;
    }
}
