package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.ARGUMENTS;
import static io.caravan.dialect.gemini.ChatWire.AUDIO;
import static io.caravan.dialect.gemini.ChatWire.CHOICE_AUTO;
import static io.caravan.dialect.gemini.ChatWire.CHOICE_NONE;
import static io.caravan.dialect.gemini.ChatWire.CHOICE_REQUIRED;
import static io.caravan.dialect.gemini.ChatWire.CONTENT;
import static io.caravan.dialect.gemini.ChatWire.DESCRIPTION;
import static io.caravan.dialect.gemini.ChatWire.FREQUENCY_PENALTY;
import static io.caravan.dialect.gemini.ChatWire.FUNCTION;
import static io.caravan.dialect.gemini.ChatWire.FUNCTIONS;
import static io.caravan.dialect.gemini.ChatWire.FUNCTION_CALL;
import static io.caravan.dialect.gemini.ChatWire.ID;
import static io.caravan.dialect.gemini.ChatWire.JSON_OBJECT;
import static io.caravan.dialect.gemini.ChatWire.JSON_SCHEMA;
import static io.caravan.dialect.gemini.ChatWire.LOGIT_BIAS;
import static io.caravan.dialect.gemini.ChatWire.LOGPROBS;
import static io.caravan.dialect.gemini.ChatWire.MAX_COMPLETION_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.MAX_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.MESSAGES;
import static io.caravan.dialect.gemini.ChatWire.MODALITIES;
import static io.caravan.dialect.gemini.ChatWire.N;
import static io.caravan.dialect.gemini.ChatWire.NAME;
import static io.caravan.dialect.gemini.ChatWire.PARAMETERS;
import static io.caravan.dialect.gemini.ChatWire.PRESENCE_PENALTY;
import static io.caravan.dialect.gemini.ChatWire.REASONING_EFFORT;
import static io.caravan.dialect.gemini.ChatWire.REASONING_SIGNATURE;
import static io.caravan.dialect.gemini.ChatWire.RESPONSE_FORMAT;
import static io.caravan.dialect.gemini.ChatWire.ROLE;
import static io.caravan.dialect.gemini.ChatWire.ROLE_ASSISTANT;
import static io.caravan.dialect.gemini.ChatWire.ROLE_DEVELOPER;
import static io.caravan.dialect.gemini.ChatWire.ROLE_SYSTEM;
import static io.caravan.dialect.gemini.ChatWire.ROLE_TOOL;
import static io.caravan.dialect.gemini.ChatWire.ROLE_USER;
import static io.caravan.dialect.gemini.ChatWire.SCHEMA;
import static io.caravan.dialect.gemini.ChatWire.SEED;
import static io.caravan.dialect.gemini.ChatWire.STOP;
import static io.caravan.dialect.gemini.ChatWire.TEMPERATURE;
import static io.caravan.dialect.gemini.ChatWire.TOOLS;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CALLS;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CALL_ID;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CHOICE;
import static io.caravan.dialect.gemini.ChatWire.TOP_K;
import static io.caravan.dialect.gemini.ChatWire.TOP_P;
import static io.caravan.dialect.gemini.ChatWire.TYPE;
import static io.caravan.dialect.gemini.ChatWire.TYPE_FUNCTION;
import static io.caravan.dialect.gemini.ChatWire.WEB_SEARCH_OPTIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TranslationSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Chat Completions request (the common model) as a Gemini {@code GenerateContentRequest}.
 *
 * <p>Gemini rejects unknown fields, so the request is built from an allow-list; it never holds {@code model} or
 * {@code stream}, which Gemini reads from the path. Rules beyond the one-to-one field mapping:
 * <ul>
 *   <li>system and developer messages, wherever they are, become {@code systemInstruction};</li>
 *   <li>roles become {@code user} and {@code model}, consecutive contents of one role merged into one;</li>
 *   <li>an assistant's tool calls become {@code functionCall} parts (arguments parsed: arguments that are not a JSON
 *       object are refused); a run of tool messages becomes one user content of {@code functionResponse} parts, in
 *       the order of the calls they answer, each named after its call (Chat tool messages carry no name) with its
 *       text as {@code {"output": text}};</li>
 *   <li>a {@code reasoning_signature} Gemini made ({@link SignatureProvenance}) goes back as the
 *       {@code thoughtSignature} of the turn's first function call (else its first part); a turn that calls
 *       functions without one (a conversation begun with another model) gets Google's documented
 *       {@link GeminiWire#SKIP_SIGNATURE_CHECK}, as Gemini 3 refuses calls without a signature. Reasoning text is
 *       not sent back: Gemini keeps its thinking in the signature, and takes no thoughts as input;</li>
 *   <li>{@code reasoning_effort} becomes {@code thinkingConfig} with the configured budget and
 *       {@code includeThoughts}, so that the thinking comes back as {@code reasoning_content}; "none" is a budget
 *       of 0;</li>
 *   <li>{@code response_format} becomes {@code responseMimeType} (and {@code responseJsonSchema}).</li>
 * </ul>
 * What Gemini cannot do is refused with a 400 saying so: {@code n} above 1, {@code logprobs}, {@code logit_bias},
 * audio output, the legacy {@code functions}, hosted tools and web search (unless the settings leave unservable
 * tools out). Left out, because they shape no answer: {@code user}, {@code metadata}, {@code store},
 * {@code service_tier}, {@code stream_options} (Gemini always reports usage), {@code prediction} (a latency hint),
 * {@code parallel_tool_calls} (Gemini has no switch for it; refusing would refuse the many clients that always send
 * it) and the like.
 */
final class ChatToGeminiRequest {

    private static final String AUDIO_MODALITY = "audio";
    private static final String EFFORT_NONE = "none";
    private static final String ALLOWED_TOOLS = "allowed_tools";
    private static final String ALLOWED_MODE = "mode";

    private final TranslationSettings settings;

    ChatToGeminiRequest(TranslationSettings settings) {
        this.settings = settings;
    }

    ObjectNode translate(ObjectNode chat) {
        refuseWhatGeminiCannotDo(chat);
        ObjectNode gemini = JsonTrees.object();
        gemini.set(GeminiWire.CONTENTS, contents(chat));
        List<ObjectNode> system = systemParts(chat);
        if (!system.isEmpty()) {
            gemini.putObject(GeminiWire.SYSTEM_INSTRUCTION).putArray(GeminiWire.PARTS).addAll(system);
        }
        ArrayNode declarations = functionDeclarations(chat);
        if (!declarations.isEmpty()) {
            gemini.putArray(GeminiWire.TOOLS).addObject().set(GeminiWire.FUNCTION_DECLARATIONS, declarations);
            ObjectNode toolConfig = toolConfig(chat.get(TOOL_CHOICE));
            if (toolConfig != null) {
                gemini.set(GeminiWire.TOOL_CONFIG, toolConfig);
            }
        }
        ObjectNode generation = generationConfig(chat);
        if (!generation.isEmpty()) {
            gemini.set(GeminiWire.GENERATION_CONFIG, generation);
        }
        return gemini;
    }

    private void refuseWhatGeminiCannotDo(ObjectNode chat) {
        if (JsonTrees.count(chat, N) > 1) {
            throw GeminiUpstreamRefusals.unsupported("'n' above 1 cannot be served by Gemini credentials");
        }
        if (chat.path(LOGPROBS).asBoolean(false)) {
            throw GeminiUpstreamRefusals.unsupported("'logprobs' cannot be served by Gemini credentials");
        }
        JsonNode logitBias = chat.get(LOGIT_BIAS);
        if (logitBias != null && logitBias.isObject() && !logitBias.isEmpty()) {
            throw GeminiUpstreamRefusals.unsupported("'logit_bias' cannot be served by Gemini credentials");
        }
        if (chat.hasNonNull(FUNCTIONS) || chat.hasNonNull(FUNCTION_CALL)) {
            throw GeminiUpstreamRefusals.unsupported("The legacy 'functions' and 'function_call' cannot be served by "
                    + "Gemini credentials: use 'tools' and 'tool_choice'");
        }
        boolean audioOut = chat.hasNonNull(AUDIO);
        for (JsonNode modality : JsonTrees.elements(chat, MODALITIES)) {
            audioOut |= AUDIO_MODALITY.equals(modality.asText());
        }
        if (audioOut) {
            throw GeminiUpstreamRefusals.unsupported("Audio output cannot be served by Gemini credentials");
        }
        if (chat.hasNonNull(WEB_SEARCH_OPTIONS) && !settings.omitUnservableTools()) {
            throw GeminiUpstreamRefusals.unsupported("'web_search_options' cannot be served by Gemini credentials");
        }
    }

    private static List<ObjectNode> systemParts(ObjectNode chat) {
        List<ObjectNode> parts = new ArrayList<>();
        int i = 0;
        for (JsonNode message : JsonTrees.elements(chat, MESSAGES)) {
            String role = JsonTrees.text(message, ROLE);
            if (ROLE_SYSTEM.equals(role) || ROLE_DEVELOPER.equals(role)) {
                parts.addAll(ChatPartsToGemini.textParts(message.path(CONTENT), "messages[" + i + "].content"));
            }
            i++;
        }
        return parts;
    }

    private static ArrayNode contents(ObjectNode chat) {
        ArrayNode contents = JsonTrees.array();
        JsonNode messages = chat.path(MESSAGES);
        // The calls of the latest assistant turn, by id: what the tool messages after it answer, and in which order.
        Map<String, Integer> callOrder = new HashMap<>();
        Map<String, String> callNames = new HashMap<>();
        int i = 0;
        while (i < messages.size()) {
            JsonNode message = messages.get(i);
            String role = JsonTrees.text(message, ROLE);
            if (ROLE_TOOL.equals(role)) {
                int end = i;
                while (end < messages.size() && ROLE_TOOL.equals(JsonTrees.text(messages.get(end), ROLE))) {
                    end++;
                }
                add(contents, GeminiWire.ROLE_USER, toolResults(messages, i, end, callOrder, callNames));
                i = end;
                continue;
            }
            String where = "messages[" + i + "]";
            if (ROLE_USER.equals(role)) {
                add(contents, GeminiWire.ROLE_USER, ChatPartsToGemini.parts(message.path(CONTENT), where + ".content"));
            } else if (ROLE_ASSISTANT.equals(role)) {
                callOrder.clear();
                add(contents, GeminiWire.ROLE_MODEL, modelParts(message, where, callOrder, callNames));
            } else if (!ROLE_SYSTEM.equals(role) && !ROLE_DEVELOPER.equals(role)) {
                throw GeminiUpstreamRefusals.unsupported("Messages of role '" + role + "' (" + where
                        + ") cannot be sent to Gemini: supported are system, developer, user, assistant and tool");
            }
            i++;
        }
        return contents;
    }

    /** Consecutive contents of one role are one content to Gemini, which expects the roles to take turns. */
    private static void add(ArrayNode contents, String role, List<ObjectNode> parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(JsonTrees.text(last, GeminiWire.ROLE))) {
            ((ArrayNode) last.get(GeminiWire.PARTS)).addAll(parts);
            return;
        }
        ObjectNode content = contents.addObject();
        content.put(GeminiWire.ROLE, role);
        content.putArray(GeminiWire.PARTS).addAll(parts);
    }

    private static List<ObjectNode> modelParts(JsonNode message, String where, Map<String, Integer> callOrder,
                                               Map<String, String> callNames) {
        List<ObjectNode> parts = ChatPartsToGemini.textParts(message.path(CONTENT), where + ".content");
        ObjectNode firstCall = null;
        int index = 0;
        for (JsonNode call : JsonTrees.elements(message, TOOL_CALLS)) {
            String at = where + ".tool_calls[" + index + "]";
            String type = JsonTrees.text(call, TYPE);
            if (type != null && !TYPE_FUNCTION.equals(type)) {
                throw GeminiUpstreamRefusals.unsupported("Tool calls of type '" + type + "' (" + at
                        + ") cannot be sent to Gemini");
            }
            JsonNode function = call.path(FUNCTION);
            String name = JsonTrees.text(function, NAME);
            if (JsonTrees.isEmpty(name)) {
                throw GeminiUpstreamRefusals.invalid("The tool call " + at + " has no function name");
            }
            ObjectNode part = JsonTrees.object();
            ObjectNode functionCall = part.putObject(GeminiWire.FUNCTION_CALL);
            String id = JsonTrees.text(call, ID);
            if (!JsonTrees.isEmpty(id)) {
                functionCall.put(GeminiWire.ID, id);
                callOrder.put(id, index);
                callNames.put(id, name);
            }
            functionCall.put(GeminiWire.NAME, name);
            functionCall.set(GeminiWire.ARGS, arguments(JsonTrees.text(function, ARGUMENTS), at));
            parts.add(part);
            if (firstCall == null) {
                firstCall = part;
            }
            index++;
        }
        String signature = SignatureProvenance.geminiSignature(JsonTrees.text(message, REASONING_SIGNATURE));
        if (signature != null && !parts.isEmpty()) {
            (firstCall != null ? firstCall : parts.get(0)).put(GeminiWire.THOUGHT_SIGNATURE, signature);
        } else if (firstCall != null) {
            firstCall.put(GeminiWire.THOUGHT_SIGNATURE, GeminiWire.SKIP_SIGNATURE_CHECK);
        }
        return parts;
    }

    /** Chat's JSON-encoded arguments as the object Gemini's {@code args} is; no arguments are {@code {}}. */
    private static ObjectNode arguments(String arguments, String where) {
        if (arguments == null || arguments.isBlank()) {
            return JsonTrees.object();
        }
        JsonNode parsed = JsonTrees.parseOrNull(arguments);
        if (parsed == null || !parsed.isObject()) {
            throw GeminiUpstreamRefusals.invalid("The arguments of " + where + " are not a JSON object, which Gemini "
                    + "requires of a function call's arguments");
        }
        return (ObjectNode) parsed;
    }

    /** Tool messages {@code from} (inclusive) to {@code to}: their function responses in call order, then any media. */
    private static List<ObjectNode> toolResults(JsonNode messages, int from, int to, Map<String, Integer> callOrder,
                                                Map<String, String> callNames) {
        List<JsonNode> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add(messages.get(i));
        }
        results.sort((a, b) -> Integer.compare(callOrder.getOrDefault(JsonTrees.text(a, TOOL_CALL_ID), Integer.MAX_VALUE),
                callOrder.getOrDefault(JsonTrees.text(b, TOOL_CALL_ID), Integer.MAX_VALUE)));
        List<ObjectNode> responses = new ArrayList<>();
        List<ObjectNode> media = new ArrayList<>();
        for (JsonNode result : results) {
            String where = "messages[" + indexOf(messages, result, from, to) + "]";
            String id = JsonTrees.text(result, TOOL_CALL_ID);
            String name = id == null ? null : callNames.get(id);
            if (name == null) {
                throw GeminiUpstreamRefusals.invalid("The tool message " + where + " answers tool call id '" + id
                        + "', which no earlier assistant message made: Gemini needs the function's name");
            }
            StringBuilder text = new StringBuilder();
            for (ObjectNode part : ChatPartsToGemini.parts(result.path(CONTENT), where + ".content")) {
                if (part.has(GeminiWire.TEXT)) {
                    text.append(part.get(GeminiWire.TEXT).textValue());
                } else {
                    media.add(part);
                }
            }
            ObjectNode part = JsonTrees.object();
            ObjectNode response = part.putObject(GeminiWire.FUNCTION_RESPONSE);
            response.put(GeminiWire.ID, id);
            response.put(GeminiWire.NAME, name);
            response.putObject(GeminiWire.RESPONSE).put(GeminiWire.FUNCTION_OUTPUT, text.toString());
            responses.add(part);
        }
        responses.addAll(media);
        return responses;
    }

    private static int indexOf(JsonNode messages, JsonNode message, int from, int to) {
        for (int i = from; i < to; i++) {
            if (messages.get(i) == message) {
                return i;
            }
        }
        return from;
    }

    private ArrayNode functionDeclarations(ObjectNode chat) {
        ArrayNode declarations = JsonTrees.array();
        int i = 0;
        for (JsonNode tool : JsonTrees.elements(chat, TOOLS)) {
            String where = "tools[" + i++ + "]";
            String type = JsonTrees.text(tool, TYPE);
            if (type != null && !TYPE_FUNCTION.equals(type)) {
                if (settings.omitUnservableTools()) {
                    continue;
                }
                throw GeminiUpstreamRefusals.unsupported("Tools of type '" + type + "' (" + where
                        + ") cannot be served by Gemini credentials: only function tools can");
            }
            JsonNode function = JsonTrees.objectField(tool, FUNCTION);
            String name = JsonTrees.text(function, NAME);
            if (JsonTrees.isEmpty(name)) {
                throw GeminiUpstreamRefusals.invalid("The tool " + where + " has no function name");
            }
            ObjectNode declaration = declarations.addObject();
            declaration.put(GeminiWire.NAME, name);
            String description = JsonTrees.text(function, DESCRIPTION);
            if (!JsonTrees.isEmpty(description)) {
                declaration.put(GeminiWire.DESCRIPTION, description);
            }
            JsonNode parameters = JsonTrees.objectField(function, PARAMETERS);
            if (parameters != null) {
                declaration.set(GeminiWire.PARAMETERS_JSON_SCHEMA, parameters.deepCopy());
            }
        }
        return declarations;
    }

    /** {@code auto}/{@code none}/{@code required}, one named function, or OpenAI's {@code allowed_tools}. */
    private static ObjectNode toolConfig(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ObjectNode config = JsonTrees.object();
        ObjectNode calling = config.putObject(GeminiWire.FUNCTION_CALLING_CONFIG);
        if (choice.isTextual()) {
            calling.put(GeminiWire.MODE, mode(choice.textValue()));
            return config;
        }
        String type = JsonTrees.text(choice, TYPE);
        if (TYPE_FUNCTION.equals(type) && !JsonTrees.isEmpty(JsonTrees.text(choice.path(FUNCTION), NAME))) {
            calling.put(GeminiWire.MODE, GeminiWire.MODE_ANY);
            calling.putArray(GeminiWire.ALLOWED_FUNCTION_NAMES).add(JsonTrees.text(choice.path(FUNCTION), NAME));
            return config;
        }
        if (ALLOWED_TOOLS.equals(type)) {
            JsonNode allowed = choice.path(ALLOWED_TOOLS);
            calling.put(GeminiWire.MODE, mode(allowed.path(ALLOWED_MODE).asText(CHOICE_AUTO)));
            ArrayNode names = calling.putArray(GeminiWire.ALLOWED_FUNCTION_NAMES);
            for (JsonNode tool : JsonTrees.elements(allowed, TOOLS)) {
                String name = JsonTrees.text(tool.path(FUNCTION), NAME);
                if (!JsonTrees.isEmpty(name)) {
                    names.add(name);
                }
            }
            return config;
        }
        throw GeminiUpstreamRefusals.unsupported("This 'tool_choice' cannot be served by Gemini credentials: supported "
                + "are auto, none, required, a named function and allowed_tools");
    }

    private static String mode(String choice) {
        return switch (choice) {
            case CHOICE_AUTO -> GeminiWire.MODE_AUTO;
            case CHOICE_NONE -> GeminiWire.MODE_NONE;
            case CHOICE_REQUIRED -> GeminiWire.MODE_ANY;
            default -> throw GeminiUpstreamRefusals.invalid("'tool_choice' '" + choice
                    + "' is none of auto, none and required");
        };
    }

    private ObjectNode generationConfig(ObjectNode chat) {
        ObjectNode config = JsonTrees.object();
        copyNumber(chat, TEMPERATURE, config, GeminiWire.TEMPERATURE);
        copyNumber(chat, TOP_P, config, GeminiWire.TOP_P);
        copyNumber(chat, TOP_K, config, GeminiWire.TOP_K);
        long completion = JsonTrees.count(chat, MAX_COMPLETION_TOKENS);
        long maxTokens = completion > 0 ? completion : JsonTrees.count(chat, MAX_TOKENS);
        if (maxTokens > 0) {
            config.put(GeminiWire.MAX_OUTPUT_TOKENS, maxTokens);
        }
        ArrayNode stops = stopSequences(chat.get(STOP));
        if (!stops.isEmpty()) {
            config.set(GeminiWire.STOP_SEQUENCES, stops);
        }
        copyNumber(chat, PRESENCE_PENALTY, config, GeminiWire.PRESENCE_PENALTY);
        copyNumber(chat, FREQUENCY_PENALTY, config, GeminiWire.FREQUENCY_PENALTY);
        copyNumber(chat, SEED, config, GeminiWire.SEED);
        responseFormat(chat.get(RESPONSE_FORMAT), config);
        String effort = JsonTrees.text(chat, REASONING_EFFORT);
        if (effort != null) {
            ObjectNode thinking = config.putObject(GeminiWire.THINKING_CONFIG);
            if (EFFORT_NONE.equals(effort)) {
                thinking.put(GeminiWire.THINKING_BUDGET, 0);
            } else {
                thinking.put(GeminiWire.THINKING_BUDGET, settings.thinkingBudget(effort));
                thinking.put(GeminiWire.INCLUDE_THOUGHTS, true);
            }
        }
        return config;
    }

    private static void copyNumber(ObjectNode from, String field, ObjectNode to, String geminiField) {
        JsonNode value = from.get(field);
        if (value != null && value.isNumber()) {
            to.set(geminiField, value);
        }
    }

    private static ArrayNode stopSequences(JsonNode stop) {
        ArrayNode sequences = JsonTrees.array();
        if (stop != null && stop.isTextual() && !stop.textValue().isEmpty()) {
            sequences.add(stop.textValue());
        } else if (stop != null && stop.isArray()) {
            for (JsonNode sequence : stop) {
                if (sequence.isTextual() && !sequence.textValue().isEmpty()) {
                    sequences.add(sequence.textValue());
                }
            }
        }
        return sequences;
    }

    /** {@code json_object} is JSON of any shape; {@code json_schema} JSON of that schema; {@code text} the default. */
    private static void responseFormat(JsonNode format, ObjectNode config) {
        String type = JsonTrees.text(format, TYPE);
        if (JSON_OBJECT.equals(type)) {
            config.put(GeminiWire.RESPONSE_MIME_TYPE, GeminiWire.JSON_MIME_TYPE);
        } else if (JSON_SCHEMA.equals(type)) {
            config.put(GeminiWire.RESPONSE_MIME_TYPE, GeminiWire.JSON_MIME_TYPE);
            JsonNode schema = JsonTrees.objectField(format.path(JSON_SCHEMA), SCHEMA);
            if (schema != null) {
                config.set(GeminiWire.RESPONSE_JSON_SCHEMA, schema.deepCopy());
            }
        }
    }
}
