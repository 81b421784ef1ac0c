package io.caravan.dialect.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import java.util.Map;

/** JSON written in the tests as text, parsed as the gateway parses bodies. */
final class Json {

    private Json() {
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) GoldenFiles.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    /** As the gate hands a request to {@code Dialect.refusal}: maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String json) {
        return GoldenFiles.MAPPER.convertValue(object(json), Map.class);
    }
}
