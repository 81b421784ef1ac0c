package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini's {@code Schema} (the OpenAPI 3.0 subset of {@code functionDeclarations[].parameters} and
 * {@code generationConfig.responseSchema}) as JSON Schema, which the common model's {@code parameters} and
 * {@code response_format} hold. The differences: Gemini names types in upper case ({@code STRING}, {@code OBJECT}),
 * says {@code nullable: true} where JSON Schema adds {@code "null"} to the types, writes its int64 bounds
 * ({@code minItems}, {@code maxLength}, …) as strings, as proto3 JSON does, and has keywords of its own:
 * {@code propertyOrdering} (an ordering hint JSON Schema has no word for, left out), {@code example} (JSON Schema's
 * {@code examples}) and {@code format: "enum"} (a string with an {@code enum}, which says it already). Every other
 * keyword has the same name and meaning in both and is copied.
 */
public final class GeminiSchemas {

    private static final String JSON_NULL = "null";
    private static final String JSON_EXAMPLES = "examples";

    private GeminiSchemas() {
    }

    /** The JSON Schema for a Gemini Schema; a value that is no object (a caller's mistake) becomes {@code {}}. */
    public static ObjectNode toJsonSchema(JsonNode schema) {
        ObjectNode json = JsonTrees.object();
        if (schema == null || !schema.isObject()) {
            return json;
        }
        boolean nullable = schema.path(GeminiWire.SCHEMA_NULLABLE).asBoolean(false);
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case GeminiWire.SCHEMA_TYPE -> putType(json, value, nullable);
                case GeminiWire.SCHEMA_NULLABLE, GeminiWire.SCHEMA_PROPERTY_ORDERING -> {
                    // nullable is folded into the types; an ordering hint has no JSON Schema meaning
                }
                case GeminiWire.SCHEMA_PROPERTIES -> {
                    ObjectNode properties = json.putObject(name);
                    for (Map.Entry<String, JsonNode> property : value.properties()) {
                        properties.set(property.getKey(), toJsonSchema(property.getValue()));
                    }
                }
                case GeminiWire.SCHEMA_ITEMS -> json.set(name, toJsonSchema(value));
                case GeminiWire.SCHEMA_ANY_OF -> {
                    ArrayNode anyOf = json.putArray(name);
                    for (JsonNode option : value) {
                        anyOf.add(toJsonSchema(option));
                    }
                }
                case GeminiWire.SCHEMA_EXAMPLE -> json.putArray(JSON_EXAMPLES).add(value.deepCopy());
                case GeminiWire.SCHEMA_FORMAT -> {
                    if (!GeminiWire.SCHEMA_FORMAT_ENUM.equals(value.asText())) {
                        json.set(name, value.deepCopy());
                    }
                }
                default -> json.set(name, GeminiWire.SCHEMA_INT64_FIELDS.contains(name) ? int64(value) : value.deepCopy());
            }
        }
        if (nullable && !schema.has(GeminiWire.SCHEMA_TYPE) && schema.has(GeminiWire.SCHEMA_ANY_OF)) {
            ((ArrayNode) json.get(GeminiWire.SCHEMA_ANY_OF)).addObject().put(GeminiWire.SCHEMA_TYPE, JSON_NULL);
        }
        return json;
    }

    private static void putType(ObjectNode json, JsonNode type, boolean nullable) {
        if (!type.isTextual() || GeminiWire.SCHEMA_TYPE_UNSPECIFIED.equals(type.textValue())) {
            return;
        }
        String lower = type.textValue().toLowerCase(Locale.ROOT);
        if (nullable && !JSON_NULL.equals(lower)) {
            json.putArray(GeminiWire.SCHEMA_TYPE).add(lower).add(JSON_NULL);
        } else {
            json.put(GeminiWire.SCHEMA_TYPE, lower);
        }
    }

    /** An int64 bound as the number it is; one that is not a whole number is kept as written, for the upstream to judge. */
    private static JsonNode int64(JsonNode value) {
        if (value.isTextual()) {
            try {
                return JsonTrees.object().numberNode(Long.parseLong(value.textValue().strip()));
            } catch (NumberFormatException notANumber) {
                return value.deepCopy();
            }
        }
        return value.deepCopy();
    }
}
