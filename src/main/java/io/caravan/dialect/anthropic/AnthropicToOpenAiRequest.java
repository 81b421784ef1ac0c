package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_RESULT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.BUDGET_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_ANY;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_AUTO;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_NONE;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_TOOL;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT;
import static io.caravan.dialect.anthropic.AnthropicWire.DESCRIPTION;
import static io.caravan.dialect.anthropic.AnthropicWire.DISABLE_PARALLEL_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.ID;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT_SCHEMA;
import static io.caravan.dialect.anthropic.AnthropicWire.MAX_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGES;
import static io.caravan.dialect.anthropic.AnthropicWire.METADATA;
import static io.caravan.dialect.anthropic.AnthropicWire.NAME;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE_ASSISTANT;
import static io.caravan.dialect.anthropic.AnthropicWire.ROLE_USER;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_SEQUENCES;
import static io.caravan.dialect.anthropic.AnthropicWire.STREAM;
import static io.caravan.dialect.anthropic.AnthropicWire.SYSTEM;
import static io.caravan.dialect.anthropic.AnthropicWire.TEMPERATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING_ENABLED;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOLS;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOL_CHOICE;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOL_TYPE_CUSTOM;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOL_USE_ID;
import static io.caravan.dialect.anthropic.AnthropicWire.TOP_P;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.USER_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TranslationSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request as an OpenAI Chat Completions request.
 *
 * <p>Built from an allow-list like its counterpart, so Anthropic-only parameters ({@code top_k},
 * {@code cache_control}, {@code service_tier}, server tools, …) are dropped. Rules beyond the one-to-one mapping:
 * <ul>
 *   <li>the top-level {@code system} becomes a leading system message; text blocks are joined with newlines,
 *       because a plain string is what every OpenAI-compatible server accepts;</li>
 *   <li>a user message's {@code tool_result} blocks become {@code tool} messages placed before the rest of the
 *       user content, so they directly follow the assistant's tool calls as OpenAI requires; images inside a tool
 *       result (OpenAI tool messages take only text) move to the user message that follows;</li>
 *   <li>thinking blocks are not replayed: OpenAI has no field for them (its own reasoning is not replayed
 *       either) and rejects unknown message fields;</li>
 *   <li>{@code max_tokens} becomes {@code max_completion_tokens} (OpenAI's reasoning models reject
 *       {@code max_tokens}); {@code thinking} becomes {@code reasoning_effort} by budget;</li>
 *   <li>a streamed request asks for {@code stream_options.include_usage}, so the caller always gets usage;</li>
 *   <li>at most four stop sequences are sent, OpenAI's limit.</li>
 * </ul>
 */
public final class AnthropicToOpenAiRequest {

    private static final int MAX_STOP_SEQUENCES = 4;
    private static final String BLOCK_SEPARATOR = "\n";

    private final TranslationSettings settings;
    private final IdGenerator ids;

    public AnthropicToOpenAiRequest(TranslationSettings settings, IdGenerator ids) {
        this.settings = settings;
        this.ids = ids;
    }

    public ObjectNode translate(ObjectNode anthropicRequest, String upstreamModel) {
        ObjectNode openAi = JsonTrees.object();
        openAi.put(OpenAiWire.MODEL, upstreamModel);
        ArrayNode messages = openAi.putArray(OpenAiWire.MESSAGES);
        String system = systemText(anthropicRequest.get(SYSTEM));
        if (!system.isEmpty()) {
            ObjectNode systemMessage = messages.addObject();
            systemMessage.put(OpenAiWire.ROLE, OpenAiWire.ROLE_SYSTEM);
            systemMessage.put(OpenAiWire.CONTENT, system);
        }
        for (JsonNode message : JsonTrees.elements(anthropicRequest, MESSAGES)) {
            String role = JsonTrees.text(message, ROLE);
            if (ROLE_USER.equals(role)) {
                addUserMessages(messages, message.path(CONTENT));
            } else if (ROLE_ASSISTANT.equals(role)) {
                addAssistantMessage(messages, message.path(CONTENT));
            }
        }

        ArrayNode tools = tools(anthropicRequest);
        if (!tools.isEmpty()) {
            openAi.set(OpenAiWire.TOOLS, tools);
            copyToolChoice(JsonTrees.objectField(anthropicRequest, TOOL_CHOICE), openAi);
        }
        long maxTokens = JsonTrees.count(anthropicRequest, MAX_TOKENS);
        if (maxTokens > 0) {
            openAi.put(OpenAiWire.MAX_COMPLETION_TOKENS, maxTokens);
        }
        copyNumber(anthropicRequest, TEMPERATURE, openAi, OpenAiWire.TEMPERATURE);
        copyNumber(anthropicRequest, TOP_P, openAi, OpenAiWire.TOP_P);
        ArrayNode stop = stop(anthropicRequest);
        if (!stop.isEmpty()) {
            openAi.set(OpenAiWire.STOP, stop);
        }
        JsonNode stream = anthropicRequest.get(STREAM);
        if (stream != null && stream.isBoolean()) {
            openAi.put(OpenAiWire.STREAM, stream.booleanValue());
            if (stream.booleanValue()) {
                openAi.putObject(OpenAiWire.STREAM_OPTIONS).put(OpenAiWire.INCLUDE_USAGE, true);
            }
        }
        String userId = JsonTrees.text(anthropicRequest.path(METADATA), USER_ID);
        if (!JsonTrees.isEmpty(userId)) {
            openAi.put(OpenAiWire.USER, userId);
        }
        JsonNode thinking = JsonTrees.objectField(anthropicRequest, THINKING);
        if (thinking != null && THINKING_ENABLED.equals(JsonTrees.text(thinking, TYPE))) {
            openAi.put(OpenAiWire.REASONING_EFFORT, settings.reasoningEffort((int) JsonTrees.count(thinking, BUDGET_TOKENS)));
        }
        return openAi;
    }

    private static String systemText(JsonNode system) {
        if (system == null) {
            return "";
        }
        if (system.isTextual()) {
            return system.textValue();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode block : system) {
            String text = JsonTrees.text(block, TEXT);
            if (BLOCK_TEXT.equals(JsonTrees.text(block, TYPE)) && !JsonTrees.isEmpty(text)) {
                texts.add(text);
            }
        }
        return String.join(BLOCK_SEPARATOR, texts);
    }

    private void addUserMessages(ArrayNode messages, JsonNode content) {
        if (content.isTextual()) {
            if (!content.textValue().isEmpty()) {
                messages.add(message(OpenAiWire.ROLE_USER, content.textValue()));
            }
            return;
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (JsonNode block : content) {
            if (BLOCK_TOOL_RESULT.equals(JsonTrees.text(block, TYPE))) {
                messages.add(toolMessage(block, parts));
            } else {
                ObjectNode part = AnthropicContentToOpenAi.part(block);
                if (part != null) {
                    parts.add(part);
                }
            }
        }
        if (parts.size() == 1 && OpenAiWire.TEXT.equals(JsonTrees.text(parts.get(0), OpenAiWire.TYPE))) {
            messages.add(message(OpenAiWire.ROLE_USER, JsonTrees.text(parts.get(0), OpenAiWire.TEXT)));
        } else if (!parts.isEmpty()) {
            ObjectNode user = messages.addObject();
            user.put(OpenAiWire.ROLE, OpenAiWire.ROLE_USER);
            user.putArray(OpenAiWire.CONTENT).addAll(parts);
        }
    }

    /** A tool message with the result's text; images in the result are added to {@code userParts} instead. */
    private ObjectNode toolMessage(JsonNode toolResult, List<ObjectNode> userParts) {
        ObjectNode tool = JsonTrees.object();
        tool.put(OpenAiWire.ROLE, OpenAiWire.ROLE_TOOL);
        tool.put(OpenAiWire.TOOL_CALL_ID, ToolCalls.openAiId(JsonTrees.text(toolResult, TOOL_USE_ID), ids));
        JsonNode content = toolResult.path(CONTENT);
        if (content.isTextual()) {
            tool.put(OpenAiWire.CONTENT, content.textValue());
            return tool;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode block : content) {
            ObjectNode part = AnthropicContentToOpenAi.part(block);
            if (part == null) {
                continue;
            }
            if (OpenAiWire.TEXT.equals(JsonTrees.text(part, OpenAiWire.TYPE))) {
                texts.add(JsonTrees.text(part, OpenAiWire.TEXT));
            } else {
                userParts.add(part);
            }
        }
        tool.put(OpenAiWire.CONTENT, String.join(BLOCK_SEPARATOR, texts));
        return tool;
    }

    /** Text blocks are pieces of one answer and are joined as they are; tool_use blocks become tool_calls. */
    private void addAssistantMessage(ArrayNode messages, JsonNode content) {
        if (content.isTextual()) {
            if (!content.textValue().isEmpty()) {
                messages.add(message(OpenAiWire.ROLE_ASSISTANT, content.textValue()));
            }
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = JsonTrees.array();
        for (JsonNode block : content) {
            String type = JsonTrees.text(block, TYPE);
            if (BLOCK_TEXT.equals(type)) {
                String blockText = JsonTrees.text(block, TEXT);
                text.append(blockText == null ? "" : blockText);
            } else if (BLOCK_TOOL_USE.equals(type)) {
                ObjectNode call = toolCalls.addObject();
                call.put(OpenAiWire.ID, ToolCalls.openAiId(JsonTrees.text(block, ID), ids));
                call.put(OpenAiWire.TYPE, OpenAiWire.TYPE_FUNCTION);
                ObjectNode function = call.putObject(OpenAiWire.FUNCTION);
                function.put(OpenAiWire.NAME, JsonTrees.text(block, NAME));
                function.put(OpenAiWire.ARGUMENTS, ToolCalls.argumentsFromInput(block.get(INPUT)));
            }
        }
        if (text.length() == 0 && toolCalls.isEmpty()) {
            return;
        }
        ObjectNode assistant = messages.addObject();
        assistant.put(OpenAiWire.ROLE, OpenAiWire.ROLE_ASSISTANT);
        if (text.length() > 0) {
            assistant.put(OpenAiWire.CONTENT, text.toString());
        } else {
            assistant.putNull(OpenAiWire.CONTENT);
        }
        if (!toolCalls.isEmpty()) {
            assistant.set(OpenAiWire.TOOL_CALLS, toolCalls);
        }
    }

    private static ObjectNode message(String role, String content) {
        ObjectNode message = JsonTrees.object();
        message.put(OpenAiWire.ROLE, role);
        message.put(OpenAiWire.CONTENT, content);
        return message;
    }

    /** Client tools only: server tools (web search, code execution, …) run inside Anthropic and have no equivalent. */
    private static ArrayNode tools(ObjectNode anthropicRequest) {
        ArrayNode tools = JsonTrees.array();
        for (JsonNode tool : JsonTrees.elements(anthropicRequest, TOOLS)) {
            String type = JsonTrees.text(tool, TYPE);
            String name = JsonTrees.text(tool, NAME);
            if ((type != null && !TOOL_TYPE_CUSTOM.equals(type)) || JsonTrees.isEmpty(name)) {
                continue;
            }
            ObjectNode openAiTool = tools.addObject();
            openAiTool.put(OpenAiWire.TYPE, OpenAiWire.TYPE_FUNCTION);
            ObjectNode function = openAiTool.putObject(OpenAiWire.FUNCTION);
            function.put(OpenAiWire.NAME, name);
            String description = JsonTrees.text(tool, DESCRIPTION);
            if (!JsonTrees.isEmpty(description)) {
                function.put(OpenAiWire.DESCRIPTION, description);
            }
            JsonNode schema = JsonTrees.objectField(tool, INPUT_SCHEMA);
            function.set(OpenAiWire.PARAMETERS, schema == null ? JsonTrees.object() : schema.deepCopy());
        }
        return tools;
    }

    private static void copyToolChoice(JsonNode choice, ObjectNode openAi) {
        if (choice == null) {
            return;
        }
        String type = JsonTrees.text(choice, TYPE);
        if (CHOICE_AUTO.equals(type)) {
            openAi.put(OpenAiWire.TOOL_CHOICE, OpenAiWire.CHOICE_AUTO);
        } else if (CHOICE_ANY.equals(type)) {
            openAi.put(OpenAiWire.TOOL_CHOICE, OpenAiWire.CHOICE_REQUIRED);
        } else if (CHOICE_NONE.equals(type)) {
            openAi.put(OpenAiWire.TOOL_CHOICE, OpenAiWire.CHOICE_NONE);
        } else if (CHOICE_TOOL.equals(type) && !JsonTrees.isEmpty(JsonTrees.text(choice, NAME))) {
            ObjectNode named = openAi.putObject(OpenAiWire.TOOL_CHOICE);
            named.put(OpenAiWire.TYPE, OpenAiWire.TYPE_FUNCTION);
            named.putObject(OpenAiWire.FUNCTION).put(OpenAiWire.NAME, JsonTrees.text(choice, NAME));
        }
        JsonNode disableParallel = choice.get(DISABLE_PARALLEL_TOOL_USE);
        if (disableParallel != null && disableParallel.asBoolean(false) && !CHOICE_NONE.equals(type)) {
            openAi.put(OpenAiWire.PARALLEL_TOOL_CALLS, false);
        }
    }

    private static ArrayNode stop(ObjectNode anthropicRequest) {
        ArrayNode stop = JsonTrees.array();
        for (JsonNode sequence : JsonTrees.elements(anthropicRequest, STOP_SEQUENCES)) {
            if (sequence.isTextual() && !sequence.textValue().isEmpty() && stop.size() < MAX_STOP_SEQUENCES) {
                stop.add(sequence.textValue());
            }
        }
        return stop;
    }

    private static void copyNumber(ObjectNode from, String fromField, ObjectNode to, String toField) {
        JsonNode value = from.get(fromField);
        if (value != null && value.isNumber()) {
            to.set(toField, value);
        }
    }
}
