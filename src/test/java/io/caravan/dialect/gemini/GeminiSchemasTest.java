package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

class GeminiSchemasTest {

    @Test
    void anOpenApiSubsetSchemaBecomesJsonSchemaAllTheWayDown() {
        ObjectNode schema = Json.object("""
                {"type": "OBJECT", "description": "A order", "propertyOrdering": ["id", "items"],
                 "properties": {
                   "id": {"type": "STRING", "format": "uuid", "example": "0f1e", "pattern": "^[0-9a-f]+$"},
                   "status": {"type": "STRING", "format": "enum", "enum": ["open", "closed"]},
                   "note": {"type": "STRING", "nullable": true, "maxLength": "200", "minLength": "1"},
                   "items": {"type": "ARRAY", "minItems": "1", "maxItems": 10,
                     "items": {"type": "OBJECT", "properties": {"qty": {"type": "INTEGER", "minimum": 1}},
                       "required": ["qty"], "minProperties": "1"}},
                   "price": {"anyOf": [{"type": "NUMBER"}, {"type": "STRING"}], "nullable": true},
                   "anything": {"type": "TYPE_UNSPECIFIED", "title": "Whatever"}},
                 "required": ["id"]}
                """);
        ObjectNode untouched = schema.deepCopy();

        ObjectNode json = GeminiSchemas.toJsonSchema(schema);

        GoldenFiles.assertJson(Json.object("""
                {"type": "object", "description": "A order",
                 "properties": {
                   "id": {"type": "string", "format": "uuid", "examples": ["0f1e"], "pattern": "^[0-9a-f]+$"},
                   "status": {"type": "string", "enum": ["open", "closed"]},
                   "note": {"type": ["string", "null"], "maxLength": 200, "minLength": 1},
                   "items": {"type": "array", "minItems": 1, "maxItems": 10,
                     "items": {"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}},
                       "required": ["qty"], "minProperties": 1}},
                   "price": {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]},
                   "anything": {"title": "Whatever"}},
                 "required": ["id"]}
                """), json);
        GoldenFiles.assertJson(untouched, schema);
    }

    @Test
    void lowerCaseTypesAndNonObjectsAreTakenAsTheyCome() {
        GoldenFiles.assertJson(Json.object("{\"type\": \"boolean\"}"), GeminiSchemas.toJsonSchema(Json.object("{\"type\": \"boolean\"}")));
        GoldenFiles.assertJson(Json.object("{}"), GeminiSchemas.toJsonSchema(null));
        GoldenFiles.assertJson(Json.object("{}"), GeminiSchemas.toJsonSchema(Json.object("{\"a\": 1}").get("a")));
    }
}
