package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_RESULT;
import static io.caravan.dialect.anthropic.AnthropicWire.CACHE_CONTROL;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGES;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE_USER;
import static io.caravan.dialect.anthropic.AnthropicWire.SYSTEM;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOLS;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/**
 * Prompt-cache breakpoints the gateway places in an Anthropic request it translated, for callers whose dialect
 * cannot mark them: Anthropic reads and writes its prompt cache only up to a block marked {@code cache_control}.
 * The breakpoints, one each and at most four as Anthropic allows, in the order of Anthropic's prompt (tools, system,
 * messages):
 * <ul>
 *   <li>the last tool definition, so that the tools are cached;</li>
 *   <li>the last block of the system prompt;</li>
 *   <li>the last block of the user turn before the newest message: the newest message of the conversation's
 *       previous request, where that request wrote the cache, so this one reads it exactly however many blocks
 *       the answer in between added (Anthropic looks back only 20 blocks from a breakpoint for an entry);</li>
 *   <li>the last block of the newest message, so that the whole conversation so far is written for the next
 *       request.</li>
 * </ul>
 * A request that already holds a breakpoint (an OpenAI caller's {@code cache_control} on a content part, which the
 * translation keeps) is left as it is: its caller manages its cache. Thinking blocks cannot carry a breakpoint,
 * so a message's last other block does.
 */
final class CacheBreakpoints {

    static final String EPHEMERAL = "ephemeral";
    private static final String BLOCK_REDACTED_THINKING = "redacted_thinking";

    private CacheBreakpoints() {
    }

    /** Marks the breakpoints in {@code request}, a request the translation made (so its own to change). */
    static void place(ObjectNode request) {
        if (hasBreakpoint(request)) {
            return;
        }
        JsonNode tools = request.get(TOOLS);
        if (tools instanceof ArrayNode toolList && !toolList.isEmpty()) {
            markLast(toolList);
        }
        JsonNode system = request.get(SYSTEM);
        if (system != null && system.isTextual()) {
            request.set(SYSTEM, JsonTrees.array().add(marked(AnthropicMessageSequence.textBlock(system.textValue()))));
        } else if (system instanceof ArrayNode blocks) {
            markLast(blocks);
        }
        JsonNode messages = request.get(MESSAGES);
        if (!(messages instanceof ArrayNode conversation) || conversation.isEmpty()) {
            return;
        }
        int newest = conversation.size() - 1;
        for (int i = newest - 1; i >= 0; i--) {
            if (ROLE_USER.equals(JsonTrees.text(conversation.get(i), ROLE))) {
                markMessage(conversation, i);
                break;
            }
        }
        markMessage(conversation, newest);
    }

    /** The last block of the array that may carry a breakpoint, replaced by a marked copy of itself. */
    private static boolean markLast(ArrayNode blocks) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            JsonNode block = blocks.get(i);
            if (block instanceof ObjectNode object && cacheable(object)) {
                blocks.set(i, marked(object));
                return true;
            }
        }
        return false;
    }

    private static void markMessage(ArrayNode conversation, int index) {
        if (!(conversation.get(index) instanceof ObjectNode message)) {
            return;
        }
        JsonNode content = message.get(CONTENT);
        ObjectNode copy = JsonTrees.object();
        copy.setAll(message);
        if (content != null && content.isTextual() && !content.textValue().isEmpty()) {
            copy.set(CONTENT, JsonTrees.array().add(marked(AnthropicMessageSequence.textBlock(content.textValue()))));
        } else if (content instanceof ArrayNode blocks) {
            ArrayNode blocksCopy = JsonTrees.array().addAll(blocks);
            if (!markLast(blocksCopy)) {
                return;
            }
            copy.set(CONTENT, blocksCopy);
        } else {
            return;
        }
        conversation.set(index, copy);
    }

    private static boolean cacheable(ObjectNode block) {
        String type = JsonTrees.text(block, TYPE);
        return !(BLOCK_THINKING.equals(type) || BLOCK_REDACTED_THINKING.equals(type));
    }

    private static ObjectNode marked(ObjectNode block) {
        ObjectNode copy = JsonTrees.object();
        copy.setAll(block);
        copy.putObject(CACHE_CONTROL).put(TYPE, EPHEMERAL);
        return copy;
    }

    /** Whether a tool, a system block, a message block or a block inside a tool result is marked already. */
    private static boolean hasBreakpoint(ObjectNode request) {
        if (anyMarked(request.get(TOOLS)) || anyMarked(request.get(SYSTEM))) {
            return true;
        }
        for (JsonNode message : JsonTrees.elements(request, MESSAGES)) {
            JsonNode content = message.get(CONTENT);
            if (anyMarked(content)) {
                return true;
            }
            if (content != null && content.isArray()) {
                for (JsonNode block : content) {
                    if (BLOCK_TOOL_RESULT.equals(JsonTrees.text(block, TYPE)) && anyMarked(block.get(CONTENT))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean anyMarked(JsonNode blocks) {
        if (blocks == null || !blocks.isArray()) {
            return false;
        }
        for (JsonNode block : blocks) {
            if (block.has(CACHE_CONTROL)) {
                return true;
            }
        }
        return false;
    }
}
