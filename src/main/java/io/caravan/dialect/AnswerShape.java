package io.caravan.dialect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * What a 2xx upstream answer must look like to be passed on: a JSON object with the few top-level fields that make
 * it an answer of its dialect. A login page, garbage or truncated JSON with status 200 is not an answer, and must not
 * reach the caller as one.
 *
 * <p>Same-dialect answers are relayed byte for byte, so they are checked with Jackson's streaming parser: one pass
 * over the tokens, nested values skipped (still read, so that truncated JSON is caught), no tree built but for the
 * few top-level fields the shape keeps ({@link #keeping}) for the gateway to read, such as the answer's usage.
 */
public final class AnswerShape {

    private static final JsonFactory JSON = new JsonFactory();
    /** Reads a kept field in the middle of the answer: what follows it is the rest of the answer, not trailing bytes. */
    private static final ObjectReader FIELD_READER = JsonCodec.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String description;
    private final List<Field> required;
    private final List<String> kept;
    /** Whether one of {@link #required} is enough (an answer of several forms), rather than all. */
    private final boolean anyOne;

    private AnswerShape(String description, List<Field> required, List<String> kept, boolean anyOne) {
        this.description = description;
        this.required = required;
        this.kept = kept;
        this.anyOne = anyOne;
    }

    /**
     * A JSON object with these top-level fields.
     *
     * @param description what it is, for the caller's error message ("it is not ...")
     */
    public static AnswerShape of(String description, Field... required) {
        return new AnswerShape(description, List.of(required), List.of(), false);
    }

    /**
     * A JSON object with at least one of these top-level fields: an answer that comes in several forms (Gemini's
     * {@code candidates}, or only {@code promptFeedback} for a blocked prompt).
     */
    public static AnswerShape ofAny(String description, Field... oneOf) {
        return new AnswerShape(description, List.of(oneOf), List.of(), true);
    }

    /** This shape, whose {@link #read} keeps these top-level fields of an answer as well. */
    public AnswerShape keeping(String... fields) {
        return new AnswerShape(description, required, List.of(fields), anyOne);
    }

    /** For the caller's error message: "not ..." this. */
    public String description() {
        return description;
    }

    /** Whether these bytes are one JSON object of this shape and nothing else. */
    public boolean matches(Buffer body) {
        return scan(body, null);
    }

    /**
     * The fields of these bytes this shape keeps, in an object of their own (empty when the answer has none of them),
     * when the bytes are one JSON object of this shape and nothing else; else {@code null}. The same single pass as
     * {@link #matches(Buffer)}.
     */
    public ObjectNode read(Buffer body) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        return scan(body, fields) ? fields : null;
    }

    private boolean scan(Buffer body, ObjectNode keptFields) {
        ByteBuf bytes = body.getByteBuf();
        try (JsonParser parser = bytes.hasArray()
                ? JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes())
                : JSON.createParser(body.getBytes())) {
            return matches(parser, keptFields);
        } catch (IOException notJson) {
            return false;
        }
    }

    /** Whether this text is one JSON object of this shape and nothing else. */
    public boolean matches(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            return matches(parser, null);
        } catch (IOException notJson) {
            return false;
        }
    }

    /** Whether this tree (already parsed, for translation) has this shape. */
    public boolean matches(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            return false;
        }
        for (Field field : required) {
            boolean present = field.matches(tree.get(field.name));
            if (anyOne && present) {
                return true;
            }
            if (!anyOne && !present) {
                return false;
            }
        }
        return !anyOne;
    }

    /** @param keptFields where the kept fields go, or {@code null} to keep none */
    private boolean matches(JsonParser parser, ObjectNode keptFields) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        int found = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            for (int i = 0; i < required.size(); i++) {
                Field field = required.get(i);
                if (field.name.equals(name) && field.matches(value, parser)) {
                    found |= 1 << i;
                }
            }
            if (keptFields != null && kept.contains(name)) {
                // Leaves the parser on the value's last token, as skipping it would.
                keptFields.set(name, FIELD_READER.readTree(parser));
            } else {
                parser.skipChildren();
            }
        }
        // After the object's end nothing may follow: trailing bytes mean the body is not one JSON document.
        boolean fieldsFound = anyOne ? found != 0 : found == (1 << required.size()) - 1;
        return token == JsonToken.END_OBJECT && parser.nextToken() == null && fieldsFound;
    }

    /** A required top-level field: its JSON type and, for a string, optionally its exact value. */
    public record Field(String name, JsonToken token, String value) {

        public static Field array(String name) {
            return new Field(name, JsonToken.START_ARRAY, null);
        }

        public static Field object(String name) {
            return new Field(name, JsonToken.START_OBJECT, null);
        }

        public static Field integer(String name) {
            return new Field(name, JsonToken.VALUE_NUMBER_INT, null);
        }

        /** A string field, with exactly {@code value} unless that is {@code null}. */
        public static Field text(String name, String value) {
            return new Field(name, JsonToken.VALUE_STRING, value);
        }

        private boolean matches(JsonToken actual, JsonParser parser) throws IOException {
            return actual == token && (value == null || value.equals(parser.getText()));
        }

        private boolean matches(JsonNode node) {
            if (node == null) {
                return false;
            }
            return switch (token) {
                case START_ARRAY -> node.isArray();
                case START_OBJECT -> node.isObject();
                case VALUE_NUMBER_INT -> node.isIntegralNumber();
                default -> node.isTextual() && (value == null || value.equals(node.asText()));
            };
        }
    }
}
