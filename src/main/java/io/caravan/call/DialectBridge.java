package io.caravan.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.pool.Credential;
import io.caravan.relay.PassthroughStream;
import io.caravan.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Shapes one request for the credential that will serve it, and its answer for the caller. For a credential of the
 * caller's own dialect the body goes upstream byte for byte (only an aliased model name is rewritten).
 */
public class DialectBridge {

    private final ObjectMapper mapper;

    public DialectBridge(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The kinds of credential that may serve this call. */
    public Set<Dialect> servingKinds(GatewayCall call) {
        return EnumSet.of(call.dialect());
    }

    public Buffer requestBody(GatewayCall call, Credential credential) throws JsonProcessingException {
        String upstreamModel = credential.spec().upstreamModel(call.model());
        if (upstreamModel.equals(call.model())) {
            return Buffer.buffer(call.body());
        }
        Map<String, Object> renamed = new LinkedHashMap<>(call.json());
        renamed.put("model", upstreamModel);
        return Buffer.buffer(mapper.writeValueAsBytes(renamed));
    }

    public Buffer responseBody(GatewayCall call, Credential credential, Buffer upstreamBody) {
        return upstreamBody;
    }

    public StreamTranslator streamTranslator(GatewayCall call, Credential credential) {
        return new PassthroughStream(call.dialect(), call.requestId());
    }
}
