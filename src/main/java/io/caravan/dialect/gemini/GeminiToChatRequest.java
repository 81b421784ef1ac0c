package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TranslationSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Gemini {@code GenerateContentRequest} (already passed {@link GeminiRequestCheck}; the gate added {@code model} and
 * {@code stream}) as a Chat Completions request.
 *
 * <ul>
 *   <li>{@code systemInstruction}'s text parts, joined by newlines, become the leading system message;</li>
 *   <li>a {@code user} content becomes a tool message for each {@code functionResponse} (first, so that they follow
 *       the calls they answer) and one user message with its text and media ({@link GeminiMedia}), media a function
 *       returned ({@code functionResponse.parts}) included: a tool message holds text only. A plain-text message keeps
 *       the string form every Chat server takes;</li>
 *   <li>a {@code model} content becomes an assistant message: its text, its thought parts' text as
 *       {@code reasoning_content}, its function calls as {@code tool_calls} (args as the JSON arguments string), and its
 *       thought signature as {@code reasoning_signature} (the one on a thought part, else the first on a function call
 *       or text part; Google's dummy for unknown signatures is no signature). A signature the gateway sealed with its
 *       thinking ({@link GeminiThoughtSeal}) gives both back, the thinking when the turn has no thought parts (Gemini
 *       CLI keeps none);</li>
 *   <li>ids: a function call keeps its id, one without gets an id from its position ({@code call_gemini_<content>_<part>}),
 *       the same on every turn that repeats the history. A function response with the id of a call of the model turn
 *       before it answers that call; one without (or with an id no call has, as Gemini CLI gives calls that had none)
 *       answers the earliest unanswered call of its name in that turn;</li>
 *   <li>a result {@code {"output": text}} (Gemini CLI's convention) is the tool message's text, any other result its
 *       JSON;</li>
 *   <li>{@code functionDeclarations} become function tools, their {@code parametersJsonSchema} as is and their
 *       {@code parameters} through {@link GeminiSchemas}; {@code toolConfig.functionCallingConfig} becomes
 *       {@code tool_choice}: AUTO and VALIDATED auto, NONE none, ANY required, ANY with one allowed name that function,
 *       ANY with several the tools cut down to those;</li>
 *   <li>{@code generationConfig}: temperature, topP, maxOutputTokens (as {@code max_completion_tokens}), stopSequences
 *       (at most 4, OpenAI's limit), penalties, seed, a JSON response type and schema (as {@code response_format};
 *       {@code responseSchema} through {@link GeminiSchemas}), {@code thinkingConfig} as {@code reasoning_effort}
 *       (a budget of 0 is none, -1, dynamic, medium, others by {@link TranslationSettings#reasoningEffort}; a level by
 *       its name);</li>
 *   <li>a streamed request asks for {@code stream_options.include_usage}, so that the last chunk carries usage.</li>
 * </ul>
 * What only steers Gemini ({@code safetySettings}, {@code topK}, …, see {@link GeminiRequestCheck}) is left out, and
 * so are Gemini's own tools, which reach here only when the gateway is set to omit them.
 */
final class GeminiToChatRequest {

    private static final int MAX_STOP_SEQUENCES = 4;
    private static final String SYSTEM_SEPARATOR = "\n";
    private static final String EMPTY_ARGUMENTS = "{}";
    private static final String POSITIONAL_ID = ChatWire.TOOL_CALL_ID_PREFIX + "gemini_";
    private static final String DEFAULT_SCHEMA_NAME = "response";
    private static final String EFFORT_NONE = "none";
    private static final String EFFORT_DYNAMIC = "medium";
    private static final int DYNAMIC_BUDGET = -1;
    private static final String LEVEL_UNSPECIFIED = "thinking_level_unspecified";

    private final TranslationSettings settings;

    GeminiToChatRequest(TranslationSettings settings) {
        this.settings = settings;
    }

    ObjectNode translate(ObjectNode gemini, String upstreamModel) {
        ObjectNode chat = JsonTrees.object();
        chat.put(ChatWire.MODEL, upstreamModel);
        ArrayNode messages = chat.putArray(ChatWire.MESSAGES);
        String system = systemText(JsonTrees.objectField(gemini, GeminiWire.SYSTEM_INSTRUCTION));
        if (!system.isEmpty()) {
            messages.addObject().put(ChatWire.ROLE, ChatWire.ROLE_SYSTEM).put(ChatWire.CONTENT, system);
        }
        List<Call> calls = List.of();
        int index = 0;
        for (JsonNode content : JsonTrees.elements(gemini, GeminiWire.CONTENTS)) {
            if (GeminiWire.ROLE_MODEL.equals(JsonTrees.text(content, GeminiWire.ROLE))) {
                calls = addModelTurn(content, index, messages);
            } else {
                addUserTurn(content, index, calls, messages);
            }
            index++;
        }
        tools(gemini, chat);
        generationConfig(JsonTrees.objectField(gemini, GeminiWire.GENERATION_CONFIG), chat);
        if (gemini.path(ChatWire.STREAM).asBoolean(false)) {
            chat.put(ChatWire.STREAM, true);
            chat.putObject(ChatWire.STREAM_OPTIONS).put(ChatWire.INCLUDE_USAGE, true);
        }
        return chat;
    }

    private static String systemText(JsonNode system) {
        List<String> texts = new ArrayList<>();
        for (JsonNode part : JsonTrees.elements(system, GeminiWire.PARTS)) {
            String text = JsonTrees.text(part, GeminiWire.TEXT);
            if (!JsonTrees.isEmpty(text)) {
                texts.add(text);
            }
        }
        return String.join(SYSTEM_SEPARATOR, texts);
    }

    /** Adds the assistant message of a model turn; returns its calls, which the next user turn answers. */
    private static List<Call> addModelTurn(JsonNode content, int contentIndex, ArrayNode messages) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String thoughtSignature = null;
        String answerSignature = null;
        ArrayNode toolCalls = JsonTrees.array();
        List<Call> calls = new ArrayList<>();
        int partIndex = 0;
        for (JsonNode part : JsonTrees.elements(content, GeminiWire.PARTS)) {
            String signature = signature(part);
            JsonNode call = JsonTrees.objectField(part, GeminiWire.FUNCTION_CALL);
            if (part.path(GeminiWire.THOUGHT).asBoolean(false)) {
                reasoning.append(textOf(part));
                thoughtSignature = thoughtSignature != null ? thoughtSignature : signature;
            } else if (call != null) {
                String callerId = JsonTrees.text(call, GeminiWire.ID);
                String id = JsonTrees.isEmpty(callerId) ? POSITIONAL_ID + contentIndex + "_" + partIndex : callerId;
                String name = JsonTrees.text(call, GeminiWire.NAME);
                calls.add(new Call(callerId, name, id));
                ObjectNode toolCall = toolCalls.addObject();
                toolCall.put(ChatWire.ID, id);
                toolCall.put(ChatWire.TYPE, ChatWire.FUNCTION);
                JsonNode args = call.get(GeminiWire.ARGS);
                toolCall.putObject(ChatWire.FUNCTION).put(ChatWire.NAME, name)
                        .put(ChatWire.ARGUMENTS, args == null || args.isNull() ? EMPTY_ARGUMENTS : JsonTrees.write(args));
                answerSignature = answerSignature != null ? answerSignature : signature;
            } else if (part.has(GeminiWire.TEXT)) {
                text.append(textOf(part));
                answerSignature = answerSignature != null ? answerSignature : signature;
            }
            partIndex++;
        }
        String signature = thoughtSignature != null ? thoughtSignature : answerSignature;
        GeminiThoughtSeal sealed = GeminiThoughtSeal.opened(signature);
        if (sealed != null) {
            signature = sealed.signature();
            if (reasoning.length() == 0) {
                reasoning.append(sealed.reasoning());
            }
        }
        if (text.length() == 0 && reasoning.length() == 0 && toolCalls.isEmpty() && signature == null) {
            return calls;
        }
        ObjectNode assistant = messages.addObject().put(ChatWire.ROLE, ChatWire.ROLE_ASSISTANT);
        if (text.length() > 0) {
            assistant.put(ChatWire.CONTENT, text.toString());
        } else {
            assistant.putNull(ChatWire.CONTENT);
        }
        if (reasoning.length() > 0) {
            assistant.put(ChatWire.REASONING_CONTENT, reasoning.toString());
        }
        if (signature != null) {
            assistant.put(ChatWire.REASONING_SIGNATURE, signature);
        }
        if (!toolCalls.isEmpty()) {
            assistant.set(ChatWire.TOOL_CALLS, toolCalls);
        }
        return calls;
    }

    /** A part's thought signature; Google's dummy, which stands for "unknown", is none. */
    private static String signature(JsonNode part) {
        String signature = JsonTrees.text(part, GeminiWire.THOUGHT_SIGNATURE);
        return JsonTrees.isEmpty(signature) || GeminiWire.SKIP_SIGNATURE_CHECK.equals(signature) ? null : signature;
    }

    private static String textOf(JsonNode part) {
        String text = JsonTrees.text(part, GeminiWire.TEXT);
        return text == null ? "" : text;
    }

    private static void addUserTurn(JsonNode content, int contentIndex, List<Call> calls, ArrayNode messages) {
        List<ObjectNode> parts = new ArrayList<>();
        int partIndex = 0;
        for (JsonNode part : JsonTrees.elements(content, GeminiWire.PARTS)) {
            JsonNode response = JsonTrees.objectField(part, GeminiWire.FUNCTION_RESPONSE);
            if (response != null) {
                messages.addObject().put(ChatWire.ROLE, ChatWire.ROLE_TOOL)
                        .put(ChatWire.TOOL_CALL_ID, answeredCallId(response, calls, contentIndex, partIndex))
                        .put(ChatWire.CONTENT, resultText(response.get(GeminiWire.RESPONSE)));
                for (JsonNode returned : JsonTrees.elements(response, GeminiWire.PARTS)) {
                    addMedia(returned, parts);
                }
            } else if (part.has(GeminiWire.TEXT) && !part.path(GeminiWire.THOUGHT).asBoolean(false)) {
                String text = textOf(part);
                if (!text.isEmpty()) {
                    parts.add(JsonTrees.object().put(ChatWire.TYPE, ChatWire.TEXT).put(ChatWire.TEXT, text));
                }
            } else {
                addMedia(part, parts);
            }
            partIndex++;
        }
        if (parts.isEmpty()) {
            return;
        }
        ObjectNode user = messages.addObject().put(ChatWire.ROLE, ChatWire.ROLE_USER);
        if (parts.size() == 1 && ChatWire.TEXT.equals(JsonTrees.text(parts.get(0), ChatWire.TYPE))) {
            user.put(ChatWire.CONTENT, JsonTrees.text(parts.get(0), ChatWire.TEXT));
        } else {
            user.putArray(ChatWire.CONTENT).addAll(parts);
        }
    }

    private static void addMedia(JsonNode part, List<ObjectNode> parts) {
        JsonNode blob = JsonTrees.objectField(part, GeminiWire.INLINE_DATA);
        JsonNode file = JsonTrees.objectField(part, GeminiWire.FILE_DATA);
        ObjectNode media = null;
        if (blob != null) {
            media = GeminiMedia.inline(JsonTrees.text(blob, GeminiWire.MIME_TYPE), JsonTrees.text(blob, GeminiWire.DATA));
        } else if (file != null) {
            media = GeminiMedia.byUri(JsonTrees.text(file, GeminiWire.MIME_TYPE), JsonTrees.text(file, GeminiWire.FILE_URI));
        }
        if (media != null) {
            parts.add(media);
        }
    }

    /**
     * The id of the call a function response answers: the call with its id, else the earliest unanswered one of its
     * name; one that answers no call of the turn before keeps its own id (or gets one from its position), for the
     * upstream to judge.
     */
    private static String answeredCallId(JsonNode response, List<Call> calls, int contentIndex, int partIndex) {
        String id = JsonTrees.text(response, GeminiWire.ID);
        String name = JsonTrees.text(response, GeminiWire.NAME);
        Call answered = null;
        if (!JsonTrees.isEmpty(id)) {
            for (Call call : calls) {
                if (!call.answered && id.equals(call.callerId)) {
                    answered = call;
                    break;
                }
            }
        }
        if (answered == null) {
            for (Call call : calls) {
                if (!call.answered && name != null && name.equals(call.name)) {
                    answered = call;
                    break;
                }
            }
        }
        if (answered == null) {
            return JsonTrees.isEmpty(id) ? POSITIONAL_ID + contentIndex + "_" + partIndex : id;
        }
        answered.answered = true;
        return answered.chatId;
    }

    private static String resultText(JsonNode response) {
        if (response == null || response.isNull()) {
            return "";
        }
        JsonNode output = response.get(GeminiWire.FUNCTION_OUTPUT);
        if (output != null && output.isTextual() && response.size() == 1) {
            return output.textValue();
        }
        return JsonTrees.write(response);
    }

    private static void tools(ObjectNode gemini, ObjectNode chat) {
        JsonNode callingConfig = gemini.path(GeminiWire.TOOL_CONFIG).path(GeminiWire.FUNCTION_CALLING_CONFIG);
        String mode = JsonTrees.text(callingConfig, GeminiWire.MODE);
        Set<String> allowed = null;
        if (GeminiWire.MODE_ANY.equals(mode) && callingConfig.path(GeminiWire.ALLOWED_FUNCTION_NAMES).size() > 0) {
            allowed = new java.util.LinkedHashSet<>();
            for (JsonNode name : callingConfig.get(GeminiWire.ALLOWED_FUNCTION_NAMES)) {
                allowed.add(name.asText());
            }
        }
        ArrayNode tools = JsonTrees.array();
        for (JsonNode tool : JsonTrees.elements(gemini, GeminiWire.TOOLS)) {
            for (JsonNode declaration : JsonTrees.elements(tool, GeminiWire.FUNCTION_DECLARATIONS)) {
                String name = JsonTrees.text(declaration, GeminiWire.NAME);
                if (JsonTrees.isEmpty(name) || allowed != null && !allowed.contains(name)) {
                    continue;
                }
                ObjectNode function = tools.addObject().put(ChatWire.TYPE, ChatWire.FUNCTION)
                        .putObject(ChatWire.FUNCTION);
                function.put(ChatWire.NAME, name);
                String description = JsonTrees.text(declaration, GeminiWire.DESCRIPTION);
                if (!JsonTrees.isEmpty(description)) {
                    function.put(ChatWire.DESCRIPTION, description);
                }
                function.set(ChatWire.PARAMETERS, parameters(declaration));
            }
        }
        if (tools.isEmpty()) {
            return;
        }
        chat.set(ChatWire.TOOLS, tools);
        if (mode == null) {
            return;
        }
        switch (mode) {
            case GeminiWire.MODE_AUTO, GeminiWire.MODE_VALIDATED -> chat.put(ChatWire.TOOL_CHOICE, ChatWire.CHOICE_AUTO);
            case GeminiWire.MODE_NONE -> chat.put(ChatWire.TOOL_CHOICE, ChatWire.CHOICE_NONE);
            case GeminiWire.MODE_ANY -> {
                if (allowed != null && allowed.size() == 1) {
                    chat.putObject(ChatWire.TOOL_CHOICE).put(ChatWire.TYPE, ChatWire.FUNCTION)
                            .putObject(ChatWire.FUNCTION).put(ChatWire.NAME, allowed.iterator().next());
                } else {
                    chat.put(ChatWire.TOOL_CHOICE, ChatWire.CHOICE_REQUIRED);
                }
            }
            default -> {
                // MODE_UNSPECIFIED: the model decides, as without a mode
            }
        }
    }

    /** JSON Schema as is, an OpenAPI-subset Schema converted, and a function without parameters takes an empty object. */
    private static ObjectNode parameters(JsonNode declaration) {
        JsonNode jsonSchema = JsonTrees.objectField(declaration, GeminiWire.PARAMETERS_JSON_SCHEMA);
        if (jsonSchema != null) {
            return jsonSchema.deepCopy();
        }
        JsonNode schema = JsonTrees.objectField(declaration, GeminiWire.PARAMETERS);
        if (schema != null) {
            return GeminiSchemas.toJsonSchema(schema);
        }
        ObjectNode empty = JsonTrees.object().put(ChatWire.TYPE, "object");
        empty.putObject("properties");
        return empty;
    }

    private void generationConfig(JsonNode config, ObjectNode chat) {
        if (config == null) {
            return;
        }
        copyNumber(config, GeminiWire.TEMPERATURE, chat, ChatWire.TEMPERATURE);
        copyNumber(config, GeminiWire.TOP_P, chat, ChatWire.TOP_P);
        copyNumber(config, GeminiWire.MAX_OUTPUT_TOKENS, chat, ChatWire.MAX_COMPLETION_TOKENS);
        copyNumber(config, GeminiWire.PRESENCE_PENALTY, chat, ChatWire.PRESENCE_PENALTY);
        copyNumber(config, GeminiWire.FREQUENCY_PENALTY, chat, ChatWire.FREQUENCY_PENALTY);
        copyNumber(config, GeminiWire.SEED, chat, ChatWire.SEED);
        ArrayNode stop = JsonTrees.array();
        for (JsonNode sequence : JsonTrees.elements(config, GeminiWire.STOP_SEQUENCES)) {
            if (sequence.isTextual() && !sequence.textValue().isEmpty() && stop.size() < MAX_STOP_SEQUENCES) {
                stop.add(sequence.textValue());
            }
        }
        if (!stop.isEmpty()) {
            chat.set(ChatWire.STOP, stop);
        }
        responseFormat(config, chat);
        String effort = reasoningEffort(JsonTrees.objectField(config, GeminiWire.THINKING_CONFIG));
        if (effort != null) {
            chat.put(ChatWire.REASONING_EFFORT, effort);
        }
    }

    private static void responseFormat(JsonNode config, ObjectNode chat) {
        if (!GeminiWire.JSON_MIME_TYPE.equals(JsonTrees.text(config, GeminiWire.RESPONSE_MIME_TYPE))) {
            return;
        }
        JsonNode jsonSchema = JsonTrees.objectField(config, GeminiWire.RESPONSE_JSON_SCHEMA);
        JsonNode schema = JsonTrees.objectField(config, GeminiWire.RESPONSE_SCHEMA);
        ObjectNode format = chat.putObject(ChatWire.RESPONSE_FORMAT);
        if (jsonSchema == null && schema == null) {
            format.put(ChatWire.TYPE, ChatWire.JSON_OBJECT);
            return;
        }
        format.put(ChatWire.TYPE, ChatWire.JSON_SCHEMA).putObject(ChatWire.JSON_SCHEMA)
                .put(ChatWire.NAME, DEFAULT_SCHEMA_NAME)
                .set(ChatWire.SCHEMA, jsonSchema != null ? jsonSchema.deepCopy() : GeminiSchemas.toJsonSchema(schema));
    }

    /** The effort for a thinking config: by budget, else by level; {@code null} when it asks for neither. */
    private String reasoningEffort(JsonNode thinking) {
        JsonNode budget = thinking == null ? null : thinking.get(GeminiWire.THINKING_BUDGET);
        if (budget != null && budget.canConvertToInt()) {
            int tokens = budget.intValue();
            if (tokens == 0) {
                return EFFORT_NONE;
            }
            return tokens == DYNAMIC_BUDGET || tokens < 0 ? EFFORT_DYNAMIC : settings.reasoningEffort(tokens);
        }
        String level = JsonTrees.text(thinking, GeminiWire.THINKING_LEVEL);
        if (level == null || LEVEL_UNSPECIFIED.equalsIgnoreCase(level)) {
            return null;
        }
        return level.toLowerCase(Locale.ROOT);
    }

    private static void copyNumber(JsonNode from, String fromField, ObjectNode to, String toField) {
        JsonNode value = from.get(fromField);
        if (value != null && value.isNumber()) {
            to.set(toField, value);
        }
    }

    /** A function call of the latest model turn, for the responses of the next user turn to answer. */
    private static final class Call {
        private final String callerId;
        private final String name;
        private final String chatId;
        private boolean answered;

        private Call(String callerId, String name, String chatId) {
            this.callerId = callerId;
            this.name = name;
            this.chatId = chatId;
        }
    }
}
