package io.caravan.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON plumbing the dialect plug-ins' translators share: trees made with the gateway's mapper, and field readers
 * that tolerate missing and mistyped fields.
 */
public final class JsonTrees {

    private static final ObjectMapper MAPPER = JsonCodec.mapper();

    private JsonTrees() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses text as JSON; null when it is not JSON (an HTML error page, {@code [DONE]}, a truncated line). */
    public static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot fail to serialise", e);
        }
    }

    /** The string value of a field, or null when the node or field is absent, null or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** A scalar field rendered as text (providers send some codes as numbers), or null when absent or structured. */
    public static String scalarText(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** The object value of a field, or null when absent or not an object. */
    public static JsonNode objectField(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }

    /** The elements of an array field; nothing when the field is absent or not an array. */
    public static Iterable<JsonNode> elements(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isArray() ? value : List.of();
    }

    /** A count field, never negative; 0 when the field is absent or not a number. */
    public static long count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? Math.max(0, value.asLong()) : 0;
    }

    public static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
