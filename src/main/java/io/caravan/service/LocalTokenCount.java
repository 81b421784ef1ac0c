package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Refusal;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.CredentialPool;
import io.caravan.reply.CallerReply;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Token counting for a model that only credentials of other dialects serve: they cannot count the caller's dialect
 * (OpenAI has no such endpoint at all), so the caller's dialect estimates the count locally
 * ({@link Dialect#estimatedTokenCount}).
 */
public final class LocalTokenCount {

    private final CredentialPool pool;
    private final ObjectMapper mapper;
    private final boolean translate;
    private final Map<Dialect, Set<Dialect>> own = new HashMap<>();
    private final Map<Dialect, Set<Dialect>> others = new HashMap<>();

    public LocalTokenCount(CredentialPool pool, ObjectMapper mapper, boolean translate) {
        this.pool = pool;
        this.mapper = mapper;
        this.translate = translate;
        for (Dialect dialect : Dialects.all()) {
            Set<Dialect> rest = new HashSet<>(Dialects.all());
            rest.remove(dialect);
            own.put(dialect, Set.of(dialect));
            others.put(dialect, Set.copyOf(rest));
        }
    }

    /** No credential of the caller's dialect serves the model, but one of another dialect does. */
    public boolean onlyEstimable(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        String model = call.model();
        return translate && pool.candidateCount(model, own.get(call.dialect())) == 0
                && pool.candidateCount(model, others.get(call.dialect())) > 0;
    }

    /**
     * Answers the count with a local estimate, made through the translation to another dialect: a request that
     * cannot be translated is refused as its answer would be.
     */
    public void estimate(Exchange exchange) throws Exception {
        GatewayCall call = GatewayCall.of(exchange);
        Refusal untranslatable = call.request().untranslatable();
        if (untranslatable != null) {
            throw new CallerError(400, untranslatable.message(), untranslatable.code());
        }
        byte[] answer = mapper.writeValueAsBytes(call.dialect().estimatedTokenCount(call.tree(mapper)));
        call.markFirstByte();
        CallerReply.json(call, 200, Buffer.buffer(answer));
    }
}
