package io.caravan.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.pool.CredentialPool;
import io.caravan.translate.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import java.util.EnumSet;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * {@code count_tokens} for a model that only OpenAI-compatible credentials serve: OpenAI has no such endpoint, so
 * the count is estimated locally (see {@link TokenEstimator} for the method).
 */
public final class LocalTokenCount {

    private static final Set<Dialect> ANTHROPIC = EnumSet.of(Dialect.ANTHROPIC);
    private static final Set<Dialect> OPENAI = EnumSet.of(Dialect.OPENAI);

    private final CredentialPool pool;
    private final ObjectMapper mapper;
    private final boolean translate;
    private final TokenEstimator estimator = new TokenEstimator();

    public LocalTokenCount(CredentialPool pool, ObjectMapper mapper, boolean translate) {
        this.pool = pool;
        this.mapper = mapper;
        this.translate = translate;
    }

    /** No Anthropic credential serves the model, but an OpenAI-compatible one does. */
    public boolean onlyEstimable(Exchange exchange) {
        String model = GatewayCall.of(exchange).model();
        return translate && pool.candidateCount(model, ANTHROPIC) == 0 && pool.candidateCount(model, OPENAI) > 0;
    }

    public void estimate(Exchange exchange) throws Exception {
        GatewayCall call = GatewayCall.of(exchange);
        int tokens = estimator.estimate(call.tree(mapper));
        call.markFirstByte();
        CallerReply.json(call, 200, Buffer.buffer(mapper.writeValueAsBytes(java.util.Map.of("input_tokens", tokens))));
    }
}
