package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/**
 * A Responses request (already passed {@link ResponsesRequestCheck}) as a Chat Completions request.
 *
 * <p>{@code instructions} becomes the leading system message; {@code input} (a string, or items) becomes the
 * messages: message items with their text and image parts, consecutive {@code function_call} items one assistant
 * message with {@code tool_calls} (joined to the assistant text just before them, as Chat Completions writes a turn),
 * and each {@code function_call_output} a {@code tool} message. A {@code reasoning} item opens the assistant turn
 * that the message and calls after it join: its text (the reasoning text parts, else the summary) as
 * {@code reasoning_content}, and the thinking signature its {@code encrypted_content} carries
 * ({@link ThinkingSignatures}) as {@code reasoning_signature}, so that an Anthropic upstream gets its signed thinking
 * block back. Function tools, {@code tool_choice},
 * {@code parallel_tool_calls}, {@code max_output_tokens} (as {@code max_completion_tokens}), {@code temperature},
 * {@code top_p}, {@code reasoning.effort} (as {@code reasoning_effort}), {@code text.format} (as
 * {@code response_format}) and {@code user} carry over. A streamed request asks for the usage chunk, so that
 * {@code response.completed} reports real counts. Fields that only steer the Responses API itself ({@code store},
 * {@code include}, {@code truncation}, {@code metadata}) have no Chat Completions meaning and are not sent.
 */
final class ResponsesToChatRequest {

    private static final String DEFAULT_SCHEMA_NAME = "response";

    ObjectNode translate(ObjectNode request, String upstreamModel) {
        ObjectNode chat = JsonTrees.object();
        chat.put(MODEL, upstreamModel);
        ArrayNode messages = chat.putArray(CHAT_MESSAGES);
        String instructions = JsonTrees.text(request, INSTRUCTIONS);
        if (!JsonTrees.isEmpty(instructions)) {
            messages.addObject().put(ROLE, CHAT_ROLE_SYSTEM).put(CONTENT, instructions);
        }
        JsonNode input = request.path(INPUT);
        if (input.isTextual()) {
            messages.addObject().put(ROLE, CHAT_ROLE_USER).put(CONTENT, input.textValue());
        } else {
            for (JsonNode item : input) {
                addItem(item, messages);
            }
        }
        tools(request, chat);
        copy(request, PARALLEL_TOOL_CALLS, chat, PARALLEL_TOOL_CALLS);
        copy(request, MAX_OUTPUT_TOKENS, chat, CHAT_MAX_COMPLETION_TOKENS);
        copy(request, TEMPERATURE, chat, TEMPERATURE);
        copy(request, TOP_P, chat, TOP_P);
        copy(request, USER, chat, USER);
        copy(request.path(REASONING), EFFORT, chat, CHAT_REASONING_EFFORT);
        responseFormat(request.path(TEXT).path(FORMAT), chat);
        if (request.path(STREAM).asBoolean(false)) {
            chat.put(STREAM, true);
            chat.putObject(CHAT_STREAM_OPTIONS).put(CHAT_INCLUDE_USAGE, true);
        }
        return chat;
    }

    private static void addItem(JsonNode item, ArrayNode messages) {
        String type = JsonTrees.text(item, TYPE);
        if (type == null || ITEM_MESSAGE.equals(type)) {
            addMessage(item, messages);
        } else if (ITEM_FUNCTION_CALL.equals(type)) {
            ObjectNode call = assistantTurn(messages).withArray(CHAT_TOOL_CALLS).addObject();
            call.put(ID, JsonTrees.text(item, CALL_ID));
            call.put(TYPE, CHAT_FUNCTION);
            call.putObject(CHAT_FUNCTION).put(NAME, JsonTrees.text(item, NAME)).put(ARGUMENTS, JsonTrees.text(item, ARGUMENTS));
        } else if (ITEM_FUNCTION_CALL_OUTPUT.equals(type)) {
            messages.addObject().put(ROLE, CHAT_ROLE_TOOL).put(CHAT_TOOL_CALL_ID, JsonTrees.text(item, CALL_ID))
                    .put(CONTENT, outputText(item.path(OUTPUT)));
        } else if (ITEM_REASONING.equals(type)) {
            addReasoning(item, messages);
        }
    }

    /** A new assistant turn holding only the reasoning, for the answer items after it to join. */
    private static void addReasoning(JsonNode item, ArrayNode messages) {
        String text = reasoningText(item);
        String signature = ThinkingSignatures.opened(JsonTrees.text(item, ENCRYPTED_CONTENT));
        if (text.isEmpty() && signature == null) {
            // e.g. OpenAI's own encrypted reasoning without a summary: nothing a Chat Completions upstream can use
            return;
        }
        ObjectNode turn = messages.addObject().put(ROLE, ROLE_ASSISTANT);
        turn.putNull(CONTENT);
        turn.put(CHAT_REASONING_CONTENT, text);
        if (signature != null) {
            turn.put(CHAT_REASONING_SIGNATURE, signature);
        }
    }

    /**
     * The reasoning text parts when there are any (the whole reasoning), else the summary. The gateway writes one
     * summary part per reasoning item, so its text comes back exactly as the upstream gave it, as a signature needs;
     * several parts (OpenAI's summaries) are paragraphs.
     */
    private static String reasoningText(JsonNode item) {
        String content = joinedTexts(item.path(CONTENT), "");
        return content.isEmpty() ? joinedTexts(item.path(SUMMARY), "\n\n") : content;
    }

    private static String joinedTexts(JsonNode parts, String separator) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            String partText = JsonTrees.text(part, TEXT);
            if (!JsonTrees.isEmpty(partText)) {
                text.append(text.length() == 0 ? "" : separator).append(partText);
            }
        }
        return text.toString();
    }

    /** The last message when it is an assistant turn that has its reasoning and nothing else yet. */
    private static ObjectNode reasoningOnlyTurn(ArrayNode messages) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && ROLE_ASSISTANT.equals(JsonTrees.text(last, ROLE)) && last.has(CHAT_REASONING_CONTENT)
                && last.path(CONTENT).isNull() && !last.has(CHAT_TOOL_CALLS)) {
            return (ObjectNode) last;
        }
        return null;
    }

    /** The assistant message the next tool call joins: the last message if it is an assistant's, else a new one. */
    private static ObjectNode assistantTurn(ArrayNode messages) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && ROLE_ASSISTANT.equals(JsonTrees.text(last, ROLE))) {
            return (ObjectNode) last;
        }
        ObjectNode turn = messages.addObject().put(ROLE, ROLE_ASSISTANT);
        turn.putNull(CONTENT);
        return turn;
    }

    private static void addMessage(JsonNode item, ArrayNode messages) {
        String role = JsonTrees.text(item, ROLE);
        JsonNode content = item.path(CONTENT);
        ObjectNode message = JsonTrees.object().put(ROLE, role);
        if (content.isTextual()) {
            message.put(CONTENT, content.textValue());
        } else if (ROLE_ASSISTANT.equals(role) || !hasImage(content)) {
            // Assistant turns and text-only messages as plain text: every Chat Completions server takes that.
            message.put(CONTENT, joinedText(content));
        } else {
            ArrayNode parts = message.putArray(CONTENT);
            for (JsonNode part : content) {
                if (PART_INPUT_IMAGE.equals(JsonTrees.text(part, TYPE))) {
                    ObjectNode image = parts.addObject().put(TYPE, IMAGE_URL).putObject(IMAGE_URL);
                    image.put(CHAT_URL, JsonTrees.text(part, IMAGE_URL));
                    String detail = JsonTrees.text(part, DETAIL);
                    if (detail != null) {
                        image.put(DETAIL, detail);
                    }
                } else {
                    parts.addObject().put(TYPE, TEXT).put(TEXT, partText(part));
                }
            }
        }
        ObjectNode reasoningTurn = ROLE_ASSISTANT.equals(role) ? reasoningOnlyTurn(messages) : null;
        if (reasoningTurn != null) {
            reasoningTurn.set(CONTENT, message.get(CONTENT));
        } else {
            messages.add(message);
        }
    }

    private static boolean hasImage(JsonNode parts) {
        for (JsonNode part : parts) {
            if (PART_INPUT_IMAGE.equals(JsonTrees.text(part, TYPE))) {
                return true;
            }
        }
        return false;
    }

    private static String joinedText(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            text.append(partText(part));
        }
        return text.toString();
    }

    private static String partText(JsonNode part) {
        String text = PART_REFUSAL.equals(JsonTrees.text(part, TYPE)) ? JsonTrees.text(part, REFUSAL) : JsonTrees.text(part, TEXT);
        return text == null ? "" : text;
    }

    private static String outputText(JsonNode output) {
        return output.isTextual() ? output.textValue() : joinedText(output);
    }

    private static void tools(ObjectNode request, ObjectNode chat) {
        JsonNode tools = request.get(TOOLS);
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode chatTools = chat.putArray(TOOLS);
            for (JsonNode tool : tools) {
                if (!TOOL_FUNCTION.equals(JsonTrees.text(tool, TYPE))) {
                    // Only left in when the gateway is set to omit the tools Chat Completions cannot carry.
                    continue;
                }
                ObjectNode function = chatTools.addObject().put(TYPE, CHAT_FUNCTION).putObject(CHAT_FUNCTION);
                function.put(NAME, JsonTrees.text(tool, NAME));
                copy(tool, DESCRIPTION, function, DESCRIPTION);
                copy(tool, PARAMETERS, function, PARAMETERS);
                copy(tool, STRICT, function, STRICT);
            }
        }
        JsonNode choice = request.get(TOOL_CHOICE);
        if (choice != null && choice.isTextual()) {
            chat.put(TOOL_CHOICE, choice.textValue());
        } else if (choice != null && choice.isObject()) {
            chat.putObject(TOOL_CHOICE).put(TYPE, CHAT_FUNCTION).putObject(CHAT_FUNCTION)
                    .put(NAME, JsonTrees.text(choice, NAME));
        }
    }

    private static void responseFormat(JsonNode format, ObjectNode chat) {
        String type = JsonTrees.text(format, TYPE);
        if (FORMAT_JSON_OBJECT.equals(type)) {
            chat.putObject(CHAT_RESPONSE_FORMAT).put(TYPE, FORMAT_JSON_OBJECT);
        } else if (FORMAT_JSON_SCHEMA.equals(type)) {
            ObjectNode schema = chat.putObject(CHAT_RESPONSE_FORMAT).put(TYPE, FORMAT_JSON_SCHEMA)
                    .putObject(CHAT_JSON_SCHEMA);
            String name = JsonTrees.text(format, NAME);
            schema.put(NAME, name == null ? DEFAULT_SCHEMA_NAME : name);
            copy(format, DESCRIPTION, schema, DESCRIPTION);
            copy(format, SCHEMA, schema, SCHEMA);
            copy(format, STRICT, schema, STRICT);
        }
    }

    /** Copies a field that is present and not null. */
    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from == null ? null : from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }
}
