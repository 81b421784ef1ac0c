package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.pool.CredentialDrainingException;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialStatus;
import io.caravan.pool.UnknownCredentialException;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * {@code /admin/v1/credentials}: every credential's state, cooldown, load and last error ({@code GET}); one taken out
 * of rotation ({@code POST …/{name}/disable}), put back ({@code …/enable}) or let out of its cooldown or quarantine
 * at once ({@code …/reset}), each answering that credential. Every call needs an admin key.
 */
public final class AdminCredentialEndpoints {

    /** The path parameter platform-http sets as a message header. */
    public static final String NAME_HEADER = "name";
    static final String NOT_FOUND = "credential_not_found";
    static final String DRAINING = "credential_draining";

    private final AdminAuthenticator admins;
    private final CredentialPool pool;
    private final ObjectMapper mapper;

    public AdminCredentialEndpoints(AdminAuthenticator admins, CredentialPool pool, ObjectMapper mapper) {
        this.admins = admins;
        this.pool = pool;
        this.mapper = mapper;
    }

    public void list(Exchange exchange) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.put("server_time", AdminTimes.format(Instant.now()));
        answer.put("waiting", pool.waitingCount());
        ArrayNode credentials = answer.putArray("credentials");
        for (CredentialStatus status : pool.status()) {
            credentials.add(CredentialViews.describe(mapper, status));
        }
        JsonAnswers.json(call.response(), call.requestId(), 200, answer);
    }

    public void disable(Exchange exchange) {
        change(exchange, name -> pool.setEnabled(name, false));
    }

    public void enable(Exchange exchange) {
        change(exchange, name -> pool.setEnabled(name, true));
    }

    public void reset(Exchange exchange) {
        change(exchange, pool::reset);
    }

    private void change(Exchange exchange, java.util.function.Consumer<String> action) {
        AdminCall call = AdminCall.of(exchange, admins);
        if (call == null) {
            return;
        }
        String name = exchange.getIn().getHeader(NAME_HEADER, String.class);
        try {
            action.accept(name);
            JsonAnswers.json(call.response(), call.requestId(), 200, CredentialViews.describe(mapper, pool.status(name)));
        } catch (UnknownCredentialException unknown) {
            call.error(404, unknown.getMessage(), NOT_FOUND);
        } catch (CredentialDrainingException draining) {
            call.error(409, draining.getMessage(), DRAINING);
        }
    }
}
