package io.caravan.dialect.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;
import java.util.List;

/** The JSON plumbing of this plug-in: the gateway's mapper and null-tolerant field readers. */
final class Json {

    private static final ObjectMapper MAPPER = JsonCodec.mapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses text as JSON; null when it is not JSON ({@code [DONE]}, an HTML page, a truncated line). */
    static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot fail to serialise", e);
        }
    }

    /** The string value of a field, or null when the node or field is absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** A scalar field rendered as text (providers send some codes as numbers), or null when absent or structured. */
    static String scalarText(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** The elements of an array field; nothing when the field is absent or not an array. */
    static Iterable<JsonNode> elements(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isArray() ? value : List.of();
    }

    /** A count field, never negative; 0 when the field is absent or not a number. */
    static long count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? Math.max(0, value.asLong()) : 0;
    }

    static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
