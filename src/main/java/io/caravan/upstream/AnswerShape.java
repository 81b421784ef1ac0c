package io.caravan.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.Dialect;
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
 * over the tokens, nested values skipped (still read, so that truncated JSON is caught), no tree built.
 */
public enum AnswerShape {

    /** An OpenAI {@code chat.completion}. */
    OPENAI_COMPLETION("an OpenAI chat completion", Field.array("choices")),
    /** An Anthropic {@code message}. */
    ANTHROPIC_MESSAGE("an Anthropic message", Field.text("type", "message"), Field.array("content")),
    /** An Anthropic {@code count_tokens} answer. */
    TOKEN_COUNT("an Anthropic token count", Field.integer("input_tokens")),
    /** The data of an OpenAI stream's chunk. */
    OPENAI_CHUNK("an OpenAI chat completion chunk", Field.array("choices")),
    /** The data of an Anthropic stream's event. */
    ANTHROPIC_EVENT("an Anthropic stream event", Field.text("type", null));

    private static final JsonFactory JSON = new JsonFactory();

    private final String description;
    private final List<Field> required;

    AnswerShape(String description, Field... required) {
        this.description = description;
        this.required = List.of(required);
    }

    /** The shape of a whole answer from an upstream of this dialect. */
    public static AnswerShape wholeAnswer(Dialect upstream, boolean tokenCount) {
        if (tokenCount) {
            return TOKEN_COUNT;
        }
        return upstream == Dialect.OPENAI ? OPENAI_COMPLETION : ANTHROPIC_MESSAGE;
    }

    /** The shape of the data of a stream event from an upstream of this dialect. */
    public static AnswerShape streamEvent(Dialect upstream) {
        return upstream == Dialect.OPENAI ? OPENAI_CHUNK : ANTHROPIC_EVENT;
    }

    /** For the caller's error message: "not ..." this. */
    public String description() {
        return description;
    }

    /** Whether these bytes are one JSON object of this shape and nothing else. */
    public boolean matches(Buffer body) {
        ByteBuf bytes = body.getByteBuf();
        try (JsonParser parser = bytes.hasArray()
                ? JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes())
                : JSON.createParser(body.getBytes())) {
            return matches(parser);
        } catch (IOException notJson) {
            return false;
        }
    }

    /** Whether this text is one JSON object of this shape and nothing else. */
    public boolean matches(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            return matches(parser);
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
            if (!field.matches(tree.get(field.name))) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(JsonParser parser) throws IOException {
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
            parser.skipChildren();
        }
        // After the object's end nothing may follow: trailing bytes mean the body is not one JSON document.
        return token == JsonToken.END_OBJECT && parser.nextToken() == null && found == (1 << required.size()) - 1;
    }

    /** A required top-level field: its JSON type and, for a string, optionally its exact value. */
    private record Field(String name, JsonToken token, String value) {

        static Field array(String name) {
            return new Field(name, JsonToken.START_ARRAY, null);
        }

        static Field integer(String name) {
            return new Field(name, JsonToken.VALUE_NUMBER_INT, null);
        }

        static Field text(String name, String value) {
            return new Field(name, JsonToken.VALUE_STRING, value);
        }

        boolean matches(JsonToken actual, JsonParser parser) throws IOException {
            return actual == token && (value == null || value.equals(parser.getText()));
        }

        boolean matches(JsonNode node) {
            if (node == null) {
                return false;
            }
            return switch (token) {
                case START_ARRAY -> node.isArray();
                case VALUE_NUMBER_INT -> node.isIntegralNumber();
                default -> node.isTextual() && (value == null || value.equals(node.asText()));
            };
        }
    }
}
