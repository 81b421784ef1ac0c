package io.caravan.dialect.responses;

import io.caravan.dialect.Refusal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What of a Responses request Chat Completions cannot carry, found before any credential is leased. Such a request is
 * sent only to credentials that speak the Responses API natively; when none serves the model it is refused with a
 * 400 that names what cannot be translated, never silently dropped: hosted tools (web search, file search, code
 * interpreter, shell, Codex's own tool types), input items other than messages, reasoning, function calls and their
 * outputs, file inputs, a reasoning effort Chat Completions has no value for, a previous response the gateway does
 * not keep, and what needs state kept upstream ({@code conversation}, {@code background}, stored prompts, item
 * references).
 */
final class ResponsesRequestCheck {

    /** OpenAI's code for a parameter the model or endpoint does not support. */
    static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
    static final String INVALID_VALUE = "invalid_value";
    static final String MISSING_REQUIRED_PARAMETER = "missing_required_parameter";
    static final String PREVIOUS_RESPONSE_NOT_FOUND = "previous_response_not_found";

    private static final String NO_STORE = " needs state kept by the upstream, and no credential serving this model "
            + "speaks the Responses API natively. Send the conversation in 'input', or continue a response with "
            + "'previous_response_id'.";
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");
    /** The {@code reasoning.effort} values Chat Completions' {@code reasoning_effort} and the thinking budgets know. */
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");
    /** {@code reasoning.summary}: how detailed a summary to write; the upstream's reasoning text is given whole. */
    private static final Set<String> SUMMARIES = Set.of("auto", "concise", "detailed");
    private static final Set<String> FORMATS = Set.of(ResponsesWire.FORMAT_TEXT, ResponsesWire.FORMAT_JSON_SCHEMA,
            ResponsesWire.FORMAT_JSON_OBJECT);

    private ResponsesRequestCheck() {
    }

    /** @param omitUnservableTools whether tools other than functions are left out rather than refused */
    static Refusal refusal(Map<String, Object> request, boolean omitUnservableTools) {
        // The gateway writes the history of a response it keeps into the request (ResponsesConversations); one
        // still naming a previous response continues one only the credential that made it knows.
        if (request.get(ResponsesWire.PREVIOUS_RESPONSE_ID) instanceof String previous) {
            return new Refusal("Previous response with id '" + previous + "' not found. This gateway keeps the "
                    + "responses it served for a limited time, and no credential serving this model keeps responses "
                    + "itself.", PREVIOUS_RESPONSE_NOT_FOUND);
        }
        for (String stored : List.of(ResponsesWire.CONVERSATION, ResponsesWire.PROMPT)) {
            if (request.get(stored) != null) {
                return new Refusal("'" + stored + "'" + NO_STORE, UNSUPPORTED_PARAMETER);
            }
        }
        if (Boolean.TRUE.equals(request.get(ResponsesWire.BACKGROUND))) {
            return new Refusal("'background: true'" + NO_STORE, UNSUPPORTED_PARAMETER);
        }
        Object input = request.get(ResponsesWire.INPUT);
        if (!(input instanceof String) && !(input instanceof List)) {
            return new Refusal("The request must have 'input' (a string or an array of input items)",
                    MISSING_REQUIRED_PARAMETER);
        }
        Object instructions = request.get(ResponsesWire.INSTRUCTIONS);
        if (instructions != null && !(instructions instanceof String)) {
            return new Refusal("'instructions' must be a string", INVALID_VALUE);
        }
        Refusal refused = input instanceof List<?> items ? items(items) : null;
        if (refused == null) {
            refused = tools(request.get(ResponsesWire.TOOLS), omitUnservableTools);
        }
        if (refused == null) {
            refused = toolChoice(request.get(ResponsesWire.TOOL_CHOICE));
        }
        if (refused == null) {
            refused = reasoning(request.get(ResponsesWire.REASONING));
        }
        return refused != null ? refused : textFormat(request.get(ResponsesWire.TEXT));
    }

    private static Refusal items(List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            String where = "input[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                return new Refusal("'" + where + "' must be an object", INVALID_VALUE);
            }
            Object type = item.get(ResponsesWire.TYPE);
            if (type == null && item.containsKey(ResponsesWire.ROLE)) {
                type = ResponsesWire.ITEM_MESSAGE;
            }
            Refusal refused;
            if (ResponsesWire.ITEM_MESSAGE.equals(type)) {
                refused = message(item, where);
            } else if (ResponsesWire.ITEM_FUNCTION_CALL.equals(type)) {
                refused = requireStrings(item, where, ResponsesWire.CALL_ID, ResponsesWire.NAME, ResponsesWire.ARGUMENTS);
            } else if (ResponsesWire.ITEM_FUNCTION_CALL_OUTPUT.equals(type)) {
                refused = functionOutput(item, where);
            } else if (ResponsesWire.ITEM_REASONING.equals(type)) {
                refused = reasoningItem(item, where);
            } else {
                refused = new Refusal("Input item type '" + type + "' (" + where + ") cannot be served: the credentials "
                        + "of this gateway speak Chat Completions, which has messages, reasoning, function calls and "
                        + "function call outputs only", UNSUPPORTED_PARAMETER);
            }
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    private static Refusal message(Map<?, ?> item, String where) {
        if (!ROLES.contains(item.get(ResponsesWire.ROLE))) {
            return new Refusal("'" + where + ".role' must be one of user, assistant, system, developer",
                    INVALID_VALUE);
        }
        Object content = item.get(ResponsesWire.CONTENT);
        if (content instanceof String) {
            return null;
        }
        if (!(content instanceof List<?> parts)) {
            return new Refusal("'" + where + ".content' must be a string or an array of content parts",
                    INVALID_VALUE);
        }
        for (int i = 0; i < parts.size(); i++) {
            Refusal refused = part(parts.get(i), where + ".content[" + i + "]");
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    private static Refusal part(Object value, String where) {
        if (!(value instanceof Map<?, ?> part)) {
            return new Refusal("'" + where + "' must be an object", INVALID_VALUE);
        }
        Object type = part.get(ResponsesWire.TYPE);
        if (ResponsesWire.PART_INPUT_TEXT.equals(type) || ResponsesWire.PART_OUTPUT_TEXT.equals(type)) {
            return requireStrings(part, where, ResponsesWire.TEXT);
        }
        if (ResponsesWire.PART_REFUSAL.equals(type)) {
            return requireStrings(part, where, ResponsesWire.REFUSAL);
        }
        if (ResponsesWire.PART_INPUT_IMAGE.equals(type)) {
            if (part.get(ResponsesWire.IMAGE_URL) instanceof String) {
                return null;
            }
            return new Refusal("'" + where + "': an input_image needs an 'image_url' (an http(s) or data: URL); "
                    + "uploaded files ('file_id') are not supported", UNSUPPORTED_PARAMETER);
        }
        return new Refusal("Content part type '" + type + "' (" + where + ") cannot be served: supported are "
                + "input_text, input_image (by URL), output_text and refusal", UNSUPPORTED_PARAMETER);
    }

    private static Refusal functionOutput(Map<?, ?> item, String where) {
        Refusal refused = requireStrings(item, where, ResponsesWire.CALL_ID);
        if (refused != null) {
            return refused;
        }
        Object output = item.get(ResponsesWire.OUTPUT);
        if (output instanceof String) {
            return null;
        }
        if (output instanceof List<?> parts) {
            for (int i = 0; i < parts.size(); i++) {
                String partWhere = where + ".output[" + i + "]";
                if (!(parts.get(i) instanceof Map<?, ?> part)
                        || !ResponsesWire.PART_INPUT_TEXT.equals(part.get(ResponsesWire.TYPE))) {
                    return new Refusal("'" + partWhere + "': a function call output can carry input_text parts "
                            + "only when served by Chat Completions", UNSUPPORTED_PARAMETER);
                }
                refused = requireStrings(part, partWhere, ResponsesWire.TEXT);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        }
        return new Refusal("'" + where + ".output' must be a string or an array of input_text parts", INVALID_VALUE);
    }

    /** A reasoning item as a previous answer gave it: summary text parts, reasoning text parts, opaque content. */
    private static Refusal reasoningItem(Map<?, ?> item, String where) {
        Object summary = item.get(ResponsesWire.SUMMARY);
        if (!(summary instanceof List<?> parts)) {
            return new Refusal("'" + where + ".summary' must be an array of summary_text parts",
                    MISSING_REQUIRED_PARAMETER);
        }
        Refusal refused = textParts(parts, ResponsesWire.PART_SUMMARY_TEXT, where + ".summary");
        Object content = item.get(ResponsesWire.CONTENT);
        if (refused == null && content != null) {
            refused = content instanceof List<?> contentParts
                    ? textParts(contentParts, ResponsesWire.PART_REASONING_TEXT, where + ".content")
                    : new Refusal("'" + where + ".content' must be an array of reasoning_text parts", INVALID_VALUE);
        }
        Object encrypted = item.get(ResponsesWire.ENCRYPTED_CONTENT);
        if (refused == null && encrypted != null && !(encrypted instanceof String)) {
            refused = new Refusal("'" + where + ".encrypted_content' must be a string", INVALID_VALUE);
        }
        return refused;
    }

    private static Refusal textParts(List<?> parts, String type, String where) {
        for (int i = 0; i < parts.size(); i++) {
            String partWhere = where + "[" + i + "]";
            if (!(parts.get(i) instanceof Map<?, ?> part) || !type.equals(part.get(ResponsesWire.TYPE))) {
                return new Refusal("'" + partWhere + "' must be a " + type + " part", INVALID_VALUE);
            }
            Refusal refused = requireStrings(part, partWhere, ResponsesWire.TEXT);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /** {@code reasoning}: an effort Chat Completions can say, and a summary setting the API knows. */
    private static Refusal reasoning(Object reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (!(reasoning instanceof Map<?, ?> options)) {
            return new Refusal("'reasoning' must be an object", INVALID_VALUE);
        }
        Object effort = options.get(ResponsesWire.EFFORT);
        if (effort != null && !EFFORTS.contains(effort)) {
            return new Refusal("'reasoning.effort' " + (effort instanceof String ? "'" + effort + "' " : "")
                    + "cannot be served: Chat Completions' reasoning_effort is one of none, minimal, low, medium, "
                    + "high, xhigh", UNSUPPORTED_PARAMETER);
        }
        for (String field : List.of(ResponsesWire.SUMMARY, ResponsesWire.GENERATE_SUMMARY)) {
            Object summary = options.get(field);
            if (summary != null && !SUMMARIES.contains(summary)) {
                return new Refusal("'reasoning." + field + "' must be auto, concise or detailed", INVALID_VALUE);
            }
        }
        return null;
    }

    private static Refusal tools(Object tools, boolean omitUnservable) {
        if (tools == null) {
            return null;
        }
        if (!(tools instanceof List<?> list)) {
            return new Refusal("'tools' must be an array", INVALID_VALUE);
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "tools[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> tool)) {
                return new Refusal("'" + where + "' must be an object", INVALID_VALUE);
            }
            Object type = tool.get(ResponsesWire.TYPE);
            if (!ResponsesWire.TOOL_FUNCTION.equals(type) && omitUnservable) {
                continue;
            }
            if (!ResponsesWire.TOOL_FUNCTION.equals(type)) {
                return new Refusal("Tool type '" + type + "' (" + where + ") cannot be served: the credentials of "
                        + "this gateway speak Chat Completions, which has function tools only (the gateway can be set "
                        + "to leave such tools out: caravan.translation.omit-unservable-tools)", UNSUPPORTED_PARAMETER);
            }
            Refusal refused = requireStrings(tool, where, ResponsesWire.NAME);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    private static Refusal toolChoice(Object choice) {
        if (choice == null || TOOL_CHOICES.contains(choice)) {
            return null;
        }
        if (choice instanceof Map<?, ?> named && ResponsesWire.TOOL_FUNCTION.equals(named.get(ResponsesWire.TYPE))
                && named.get(ResponsesWire.NAME) instanceof String) {
            return null;
        }
        return new Refusal("'tool_choice' must be auto, none, required or {\"type\": \"function\", \"name\": …} "
                + "when served by Chat Completions", UNSUPPORTED_PARAMETER);
    }

    private static Refusal textFormat(Object text) {
        if (!(text instanceof Map<?, ?> options) || options.get(ResponsesWire.FORMAT) == null) {
            return null;
        }
        if (options.get(ResponsesWire.FORMAT) instanceof Map<?, ?> format && FORMATS.contains(format.get(ResponsesWire.TYPE))) {
            if (ResponsesWire.FORMAT_JSON_SCHEMA.equals(format.get(ResponsesWire.TYPE))
                    && !(format.get(ResponsesWire.SCHEMA) instanceof Map)) {
                return new Refusal("'text.format' of type json_schema needs a 'schema' object", INVALID_VALUE);
            }
            return null;
        }
        return new Refusal("'text.format.type' must be text, json_schema or json_object", INVALID_VALUE);
    }

    private static Refusal requireStrings(Map<?, ?> node, String where, String... fields) {
        for (String field : fields) {
            if (!(node.get(field) instanceof String)) {
                return new Refusal("'" + where + "." + field + "' must be a string", MISSING_REQUIRED_PARAMETER);
            }
        }
        return null;
    }
}
