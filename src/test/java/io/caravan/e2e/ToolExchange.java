package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One tool call and the result that answers it, as a real CLI's follow-up request carries them to an upstream: what
 * the CLI tests check reached the upstream, in the upstream's own dialect.
 *
 * @param name      the tool called
 * @param arguments the call's arguments
 * @param output    the text of the result matched to the call by its id
 */
record ToolExchange(String name, JsonNode arguments, String output) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** From Chat Completions {@code messages}: the last assistant tool call and the tool message with its id. */
    static ToolExchange fromChat(JsonNode messages) throws IOException {
        JsonNode call = null;
        for (JsonNode message : messages) {
            if (message.has("tool_calls")) {
                call = message.path("tool_calls").path(0);
            }
        }
        assertTrue(call != null, "an assistant message with the tool call: " + messages);
        for (JsonNode message : messages) {
            if ("tool".equals(message.path("role").asText())
                    && call.path("id").asText().equals(message.path("tool_call_id").asText())) {
                return new ToolExchange(call.path("function").path("name").asText(),
                        JSON.readTree(call.path("function").path("arguments").asText()),
                        text(message.path("content")));
            }
        }
        throw new AssertionError("no tool message answers " + call.path("id") + ": " + messages);
    }

    /** From Anthropic Messages {@code messages}: the last {@code tool_use} block and the {@code tool_result} with its id. */
    static ToolExchange fromAnthropic(JsonNode messages) {
        JsonNode use = null;
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if ("tool_use".equals(block.path("type").asText())) {
                    use = block;
                }
            }
        }
        assertTrue(use != null, "an assistant tool_use block: " + messages);
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if ("tool_result".equals(block.path("type").asText())
                        && use.path("id").asText().equals(block.path("tool_use_id").asText())) {
                    return new ToolExchange(use.path("name").asText(), use.path("input"), text(block.path("content")));
                }
            }
        }
        throw new AssertionError("no tool_result answers " + use.path("id") + ": " + messages);
    }

    /** A content that is a string, or the text of its parts (blocks). */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText()));
        return text.toString();
    }
}
