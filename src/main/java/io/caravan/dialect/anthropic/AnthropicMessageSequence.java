package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_RESULT;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE_USER;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import java.util.List;

/**
 * Builds an Anthropic {@code messages} array that Anthropic accepts: roles alternate (consecutive same-role
 * messages are merged into one), no message or text block is empty, and in a user message the tool_result blocks
 * come before anything else, as Anthropic requires after a tool_use turn.
 */
final class AnthropicMessageSequence {

    private final ArrayNode messages = JsonTrees.array();
    private ObjectNode last;

    /** Adds plain text; a lone plain-text message keeps the string form, as the caller wrote it. */
    void addText(String role, String text) {
        if (JsonTrees.isEmpty(text)) {
            return;
        }
        if (last != null && role.equals(last.get(ROLE).textValue())) {
            blocksOfLast().add(textBlock(text));
            return;
        }
        start(role).put(CONTENT, text);
    }

    void addBlocks(String role, List<ObjectNode> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        ArrayNode content = last != null && role.equals(last.get(ROLE).textValue())
                ? blocksOfLast() : start(role).putArray(CONTENT);
        content.addAll(blocks);
    }

    ArrayNode build() {
        for (JsonNode message : messages) {
            JsonNode content = message.get(CONTENT);
            if (ROLE_USER.equals(message.get(ROLE).textValue()) && content.isArray()) {
                putToolResultsFirst((ArrayNode) content);
            }
        }
        return messages;
    }

    static ObjectNode textBlock(String text) {
        ObjectNode block = JsonTrees.object();
        block.put(TYPE, BLOCK_TEXT);
        block.put(TEXT, text);
        return block;
    }

    private ObjectNode start(String role) {
        last = messages.addObject();
        last.put(ROLE, role);
        return last;
    }

    /** The last message's content as blocks, turning a string content into a text block first. */
    private ArrayNode blocksOfLast() {
        JsonNode content = last.get(CONTENT);
        if (content.isArray()) {
            return (ArrayNode) content;
        }
        ArrayNode blocks = JsonTrees.array();
        blocks.add(textBlock(content.textValue()));
        last.set(CONTENT, blocks);
        return blocks;
    }

    private static void putToolResultsFirst(ArrayNode content) {
        ArrayNode toolResults = JsonTrees.array();
        ArrayNode others = JsonTrees.array();
        for (JsonNode block : content) {
            (BLOCK_TOOL_RESULT.equals(block.path(TYPE).asText()) ? toolResults : others).add(block);
        }
        if (!toolResults.isEmpty() && !others.isEmpty()) {
            content.removeAll();
            content.addAll(toolResults);
            content.addAll(others);
        }
    }
}
