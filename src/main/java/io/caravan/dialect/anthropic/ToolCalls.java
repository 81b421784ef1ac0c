package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import java.util.regex.Pattern;

/** The differences between OpenAI tool calls and Anthropic tool_use blocks that both directions share. */
final class ToolCalls {

    /** Anthropic accepts tool_use ids matching {@code ^[a-zA-Z0-9_-]+$}; OpenAI-compatible servers are less strict. */
    private static final Pattern NOT_ALLOWED_IN_ANTHROPIC_ID = Pattern.compile("[^a-zA-Z0-9_-]");
    private static final String EMPTY_ARGUMENTS = "{}";

    private ToolCalls() {
    }

    /**
     * A tool call id Anthropic accepts. The mapping is a pure function of the id, so a call and its result, which
     * both carry the id, still pair up after translation.
     */
    static String anthropicId(String openAiId, IdGenerator ids) {
        if (JsonTrees.isEmpty(openAiId)) {
            return ids.newId(AnthropicWire.TOOL_USE_ID_PREFIX);
        }
        return NOT_ALLOWED_IN_ANTHROPIC_ID.matcher(openAiId).replaceAll("_");
    }

    static String openAiId(String anthropicId, IdGenerator ids) {
        return JsonTrees.isEmpty(anthropicId) ? ids.newId(OpenAiWire.TOOL_CALL_ID_PREFIX) : anthropicId;
    }

    /**
     * OpenAI's JSON-encoded arguments as the object Anthropic requires for {@code input}. Arguments that are empty,
     * not JSON or not an object (a model's malformed output) become {@code {}}, which Anthropic accepts.
     */
    static ObjectNode inputFromArguments(String arguments) {
        JsonNode parsed = JsonTrees.parseOrNull(arguments);
        return parsed != null && parsed.isObject() ? (ObjectNode) parsed : JsonTrees.object();
    }

    static String argumentsFromInput(JsonNode input) {
        return input == null || input.isNull() || input.isMissingNode() ? EMPTY_ARGUMENTS : JsonTrees.write(input);
    }
}
