package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_RESULT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.BUDGET_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_ANY;
import static io.caravan.dialect.anthropic.AnthropicWire.CHOICE_TOOL;
import static io.caravan.dialect.anthropic.AnthropicWire.DISABLE_PARALLEL_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT_SCHEMA;
import static io.caravan.dialect.anthropic.AnthropicWire.METADATA;
import static io.caravan.dialect.anthropic.AnthropicWire.MIN_THINKING_BUDGET;
import static io.caravan.dialect.anthropic.AnthropicWire.SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_SEQUENCES;
import static io.caravan.dialect.anthropic.AnthropicWire.SYSTEM;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING_ENABLED;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOL_USE_ID;
import static io.caravan.dialect.anthropic.AnthropicWire.USER_ID;
import static io.caravan.dialect.anthropic.OpenAiWire.ARGUMENTS;
import static io.caravan.dialect.anthropic.OpenAiWire.CHOICE_AUTO;
import static io.caravan.dialect.anthropic.OpenAiWire.CHOICE_NONE;
import static io.caravan.dialect.anthropic.OpenAiWire.CHOICE_REQUIRED;
import static io.caravan.dialect.anthropic.OpenAiWire.CONTENT;
import static io.caravan.dialect.anthropic.OpenAiWire.DESCRIPTION;
import static io.caravan.dialect.anthropic.OpenAiWire.FUNCTION;
import static io.caravan.dialect.anthropic.OpenAiWire.ID;
import static io.caravan.dialect.anthropic.OpenAiWire.MAX_COMPLETION_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.MAX_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.MESSAGES;
import static io.caravan.dialect.anthropic.OpenAiWire.MODEL;
import static io.caravan.dialect.anthropic.OpenAiWire.NAME;
import static io.caravan.dialect.anthropic.OpenAiWire.PARALLEL_TOOL_CALLS;
import static io.caravan.dialect.anthropic.OpenAiWire.PARAMETERS;
import static io.caravan.dialect.anthropic.OpenAiWire.REASONING_CONTENT;
import static io.caravan.dialect.anthropic.OpenAiWire.REASONING_EFFORT;
import static io.caravan.dialect.anthropic.OpenAiWire.REASONING_SIGNATURE;
import static io.caravan.dialect.anthropic.OpenAiWire.REFUSAL;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE_ASSISTANT;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE_DEVELOPER;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE_SYSTEM;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE_TOOL;
import static io.caravan.dialect.anthropic.OpenAiWire.ROLE_USER;
import static io.caravan.dialect.anthropic.OpenAiWire.STOP;
import static io.caravan.dialect.anthropic.OpenAiWire.STREAM;
import static io.caravan.dialect.anthropic.OpenAiWire.TEMPERATURE;
import static io.caravan.dialect.anthropic.OpenAiWire.TEXT;
import static io.caravan.dialect.anthropic.OpenAiWire.TOOLS;
import static io.caravan.dialect.anthropic.OpenAiWire.TOOL_CALLS;
import static io.caravan.dialect.anthropic.OpenAiWire.TOOL_CALL_ID;
import static io.caravan.dialect.anthropic.OpenAiWire.TOOL_CHOICE;
import static io.caravan.dialect.anthropic.OpenAiWire.TOP_P;
import static io.caravan.dialect.anthropic.OpenAiWire.TYPE;
import static io.caravan.dialect.anthropic.OpenAiWire.TYPE_FUNCTION;
import static io.caravan.dialect.anthropic.OpenAiWire.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TranslationSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI Chat Completions request as an Anthropic Messages request.
 *
 * <p>The output is built from an allow-list, so OpenAI-only parameters ({@code n}, penalties, {@code logprobs},
 * {@code response_format}, {@code seed}, {@code stream_options}, …) and anything unknown never reach Anthropic,
 * which rejects unknown fields. Rules beyond the one-to-one field mapping:
 * <ul>
 *   <li>system and developer messages, wherever they appear, become the top-level {@code system}: a string when
 *       there is one string system message, text blocks otherwise;</li>
 *   <li>tool messages become {@code tool_result} blocks of a user message; consecutive same-role messages are
 *       merged because Anthropic requires alternation;</li>
 *   <li>an assistant message's {@code reasoning_content} and {@code reasoning_signature} (the carrier
 *       {@link AnthropicToOpenAiResponse} writes) become a signed thinking block again; reasoning without a
 *       signature (or with Gemini's) is dropped, as Anthropic rejects unsigned thinking;</li>
 *   <li>{@code reasoning_effort} becomes {@code thinking} with the configured budget. Anthropic's constraints on
 *       thinking are honoured: no thinking when a tool is forced ({@code required} or a named tool), no
 *       {@code temperature}, {@code top_p} only from 0.95, and {@code max_tokens} above the budget: without a
 *       caller limit the budget is added to the default, with one the budget is cut to fit (and thinking dropped
 *       when less than Anthropic's minimum of 1024 would remain);</li>
 *   <li>{@code temperature} is clamped to [0, 1]; {@code top_p} is dropped when {@code temperature} is sent, as
 *       current Claude models reject the two together;</li>
 *   <li>{@code parallel_tool_calls: false} becomes {@code disable_parallel_tool_use: true};</li>
 *   <li>a content part's {@code cache_control} is kept on its block; when the settings ask, the gateway places
 *       prompt-cache breakpoints of its own ({@link CacheBreakpoints}).</li>
 * </ul>
 */
public final class OpenAiToAnthropicRequest {

    /**
     * The mark of a thinking signature Gemini made (the Gemini upstream translator writes it): valid at Gemini only,
     * it would fail an Anthropic request, so it is dropped with its reasoning like an unsigned one.
     */
    private static final String GEMINI_SIGNATURE_PREFIX = "gemini.";
    /** Anthropic allows top_p with thinking only from this value up. */
    private static final double MIN_TOP_P_WITH_THINKING = 0.95;

    private final TranslationSettings settings;
    private final IdGenerator ids;

    public OpenAiToAnthropicRequest(TranslationSettings settings, IdGenerator ids) {
        this.settings = settings;
        this.ids = ids;
    }

    public ObjectNode translate(ObjectNode openAiRequest, String upstreamModel) {
        ObjectNode anthropic = JsonTrees.object();
        anthropic.put(AnthropicWire.MODEL, upstreamModel);
        JsonNode system = systemPrompt(openAiRequest);
        if (system != null) {
            anthropic.set(SYSTEM, system);
        }
        anthropic.set(AnthropicWire.MESSAGES, messages(openAiRequest));

        ObjectNode toolChoice = null;
        ArrayNode tools = tools(openAiRequest);
        if (!tools.isEmpty()) {
            anthropic.set(AnthropicWire.TOOLS, tools);
            toolChoice = toolChoice(openAiRequest);
            if (toolChoice != null) {
                anthropic.set(AnthropicWire.TOOL_CHOICE, toolChoice);
            }
        }
        boolean toolForced = toolChoice != null
                && (CHOICE_ANY.equals(toolChoice.get(AnthropicWire.TYPE).textValue())
                || CHOICE_TOOL.equals(toolChoice.get(AnthropicWire.TYPE).textValue()));
        boolean thinking = putLimitAndThinking(openAiRequest, anthropic, toolForced);

        copySampling(openAiRequest, anthropic, thinking);
        ArrayNode stopSequences = stopSequences(openAiRequest.get(STOP));
        if (!stopSequences.isEmpty()) {
            anthropic.set(STOP_SEQUENCES, stopSequences);
        }
        JsonNode stream = openAiRequest.get(STREAM);
        if (stream != null && stream.isBoolean()) {
            anthropic.put(AnthropicWire.STREAM, stream.booleanValue());
        }
        String user = JsonTrees.text(openAiRequest, USER);
        if (!JsonTrees.isEmpty(user)) {
            anthropic.putObject(METADATA).put(USER_ID, user);
        }
        if (settings.cacheBreakpoints()) {
            CacheBreakpoints.place(anthropic);
        }
        return anthropic;
    }

    /**
     * Sets {@code max_tokens} and, if the caller asked for reasoning and Anthropic allows it here, {@code thinking};
     * returns whether thinking was enabled. Anthropic requires the budget below {@code max_tokens}.
     */
    private boolean putLimitAndThinking(ObjectNode openAiRequest, ObjectNode anthropic, boolean toolForced) {
        int thinkingBudget = toolForced ? 0 : settings.thinkingBudget(JsonTrees.text(openAiRequest, REASONING_EFFORT));
        long requestedMaxTokens = requestedMaxTokens(openAiRequest);
        long maxTokens;
        if (requestedMaxTokens > 0) {
            maxTokens = requestedMaxTokens;
            if (thinkingBudget >= maxTokens) {
                thinkingBudget = (int) (maxTokens - 1);
            }
            if (thinkingBudget < MIN_THINKING_BUDGET) {
                thinkingBudget = 0;
            }
        } else {
            // OpenAI's limit covers reasoning and answer together; without one, the answer keeps the whole default
            maxTokens = (long) settings.defaultMaxTokens() + thinkingBudget;
        }
        anthropic.put(AnthropicWire.MAX_TOKENS, maxTokens);
        if (thinkingBudget == 0) {
            return false;
        }
        ObjectNode thinking = anthropic.putObject(THINKING);
        thinking.put(AnthropicWire.TYPE, THINKING_ENABLED);
        thinking.put(BUDGET_TOKENS, thinkingBudget);
        return true;
    }

    private static JsonNode systemPrompt(ObjectNode openAiRequest) {
        List<JsonNode> contents = new ArrayList<>();
        for (JsonNode message : JsonTrees.elements(openAiRequest, MESSAGES)) {
            String role = JsonTrees.text(message, ROLE);
            if (ROLE_SYSTEM.equals(role) || ROLE_DEVELOPER.equals(role)) {
                contents.add(message.path(CONTENT));
            }
        }
        if (contents.size() == 1 && contents.get(0).isTextual()) {
            String text = contents.get(0).textValue();
            return text.isEmpty() ? null : TextNode.valueOf(text);
        }
        ArrayNode blocks = JsonTrees.array();
        for (JsonNode content : contents) {
            if (content.isTextual() && !content.textValue().isEmpty()) {
                blocks.add(AnthropicMessageSequence.textBlock(content.textValue()));
            } else if (content.isArray()) {
                blocks.addAll(OpenAiContentToAnthropic.textBlocks(content));
            }
        }
        return blocks.isEmpty() ? null : blocks;
    }

    private ArrayNode messages(ObjectNode openAiRequest) {
        AnthropicMessageSequence sequence = new AnthropicMessageSequence();
        for (JsonNode message : JsonTrees.elements(openAiRequest, MESSAGES)) {
            String role = JsonTrees.text(message, ROLE);
            if (ROLE_USER.equals(role)) {
                JsonNode content = message.path(CONTENT);
                if (content.isTextual()) {
                    sequence.addText(AnthropicWire.ROLE_USER, content.textValue());
                } else if (content.isArray()) {
                    sequence.addBlocks(AnthropicWire.ROLE_USER, OpenAiContentToAnthropic.blocks(content));
                }
            } else if (ROLE_ASSISTANT.equals(role)) {
                addAssistant(sequence, message);
            } else if (ROLE_TOOL.equals(role)) {
                sequence.addBlocks(AnthropicWire.ROLE_USER, List.of(toolResult(message)));
            }
            // system and developer messages went to the top-level system; a legacy "function" result carries no
            // call id to pair with a tool_use block, so it cannot be expressed
        }
        return sequence.build();
    }

    /** A plain-text answer keeps the string form, as the caller wrote it; anything richer becomes blocks. */
    private void addAssistant(AnthropicMessageSequence sequence, JsonNode message) {
        List<ObjectNode> blocks = assistantBlocks(message);
        JsonNode content = message.path(CONTENT);
        if (blocks.size() == 1 && content.isTextual()
                && AnthropicWire.BLOCK_TEXT.equals(blocks.get(0).get(AnthropicWire.TYPE).textValue())) {
            sequence.addText(AnthropicWire.ROLE_ASSISTANT, content.textValue());
        } else {
            sequence.addBlocks(AnthropicWire.ROLE_ASSISTANT, blocks);
        }
    }

    /** Thinking first (Anthropic requires it to open the turn), then text, then tool calls. */
    private List<ObjectNode> assistantBlocks(JsonNode message) {
        List<ObjectNode> blocks = new ArrayList<>();
        String signature = JsonTrees.text(message, REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(signature) && !signature.startsWith(GEMINI_SIGNATURE_PREFIX)) {
            ObjectNode thinking = JsonTrees.object();
            thinking.put(AnthropicWire.TYPE, BLOCK_THINKING);
            String reasoning = JsonTrees.text(message, REASONING_CONTENT);
            thinking.put(THINKING, reasoning == null ? "" : reasoning);
            thinking.put(SIGNATURE, signature);
            blocks.add(thinking);
        }
        JsonNode content = message.path(CONTENT);
        if (content.isTextual() && !content.textValue().isEmpty()) {
            blocks.add(AnthropicMessageSequence.textBlock(content.textValue()));
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                String text = REFUSAL.equals(part.path(TYPE).asText()) ? JsonTrees.text(part, REFUSAL) : JsonTrees.text(part, TEXT);
                if (!JsonTrees.isEmpty(text)) {
                    blocks.add(AnthropicMessageSequence.textBlock(text));
                }
            }
        }
        for (JsonNode call : JsonTrees.elements(message, TOOL_CALLS)) {
            JsonNode function = call.path(FUNCTION);
            ObjectNode toolUse = JsonTrees.object();
            toolUse.put(AnthropicWire.TYPE, BLOCK_TOOL_USE);
            toolUse.put(AnthropicWire.ID, ToolCalls.anthropicId(JsonTrees.text(call, ID), ids));
            toolUse.put(AnthropicWire.NAME, JsonTrees.text(function, NAME));
            toolUse.set(INPUT, ToolCalls.inputFromArguments(JsonTrees.text(function, ARGUMENTS)));
            blocks.add(toolUse);
        }
        return blocks;
    }

    private ObjectNode toolResult(JsonNode message) {
        ObjectNode result = JsonTrees.object();
        result.put(AnthropicWire.TYPE, BLOCK_TOOL_RESULT);
        result.put(TOOL_USE_ID, ToolCalls.anthropicId(JsonTrees.text(message, TOOL_CALL_ID), ids));
        JsonNode content = message.path(CONTENT);
        if (content.isTextual() && !content.textValue().isEmpty()) {
            result.put(AnthropicWire.CONTENT, content.textValue());
        } else if (content.isArray()) {
            List<ObjectNode> blocks = OpenAiContentToAnthropic.blocks(content);
            if (!blocks.isEmpty()) {
                result.putArray(AnthropicWire.CONTENT).addAll(blocks);
            }
        }
        return result;
    }

    private static ArrayNode tools(ObjectNode openAiRequest) {
        ArrayNode tools = JsonTrees.array();
        for (JsonNode tool : JsonTrees.elements(openAiRequest, TOOLS)) {
            String type = JsonTrees.text(tool, TYPE);
            JsonNode function = JsonTrees.objectField(tool, FUNCTION);
            String name = JsonTrees.text(function, NAME);
            if ((type != null && !TYPE_FUNCTION.equals(type)) || JsonTrees.isEmpty(name)) {
                continue; // custom (free-text) tools have no Anthropic counterpart
            }
            ObjectNode anthropicTool = tools.addObject();
            anthropicTool.put(AnthropicWire.NAME, name);
            String description = JsonTrees.text(function, DESCRIPTION);
            if (!JsonTrees.isEmpty(description)) {
                anthropicTool.put(AnthropicWire.DESCRIPTION, description);
            }
            anthropicTool.set(INPUT_SCHEMA, inputSchema(JsonTrees.objectField(function, PARAMETERS)));
        }
        return tools;
    }

    /** Anthropic requires an object schema with {@code type}; OpenAI lets a parameterless function omit it. */
    private static ObjectNode inputSchema(JsonNode parameters) {
        ObjectNode schema = parameters == null ? JsonTrees.object() : parameters.deepCopy();
        if (!schema.has(TYPE)) {
            schema.put(TYPE, "object");
            if (!schema.has("properties")) {
                schema.putObject("properties");
            }
        }
        return schema;
    }

    private static ObjectNode toolChoice(ObjectNode openAiRequest) {
        JsonNode choice = openAiRequest.get(TOOL_CHOICE);
        ObjectNode anthropic = null;
        if (choice != null && choice.isTextual()) {
            String type = switch (choice.textValue()) {
                case CHOICE_AUTO -> AnthropicWire.CHOICE_AUTO;
                case CHOICE_NONE -> AnthropicWire.CHOICE_NONE;
                case CHOICE_REQUIRED -> CHOICE_ANY;
                default -> null;
            };
            if (type != null) {
                anthropic = JsonTrees.object();
                anthropic.put(AnthropicWire.TYPE, type);
            }
        } else if (choice != null && choice.isObject()) {
            String name = JsonTrees.text(choice.path(FUNCTION), NAME);
            if (!JsonTrees.isEmpty(name)) {
                anthropic = JsonTrees.object();
                anthropic.put(AnthropicWire.TYPE, CHOICE_TOOL);
                anthropic.put(AnthropicWire.NAME, name);
            }
        }
        JsonNode parallel = openAiRequest.get(PARALLEL_TOOL_CALLS);
        if (parallel != null && parallel.isBoolean() && !parallel.booleanValue()) {
            if (anthropic == null) {
                anthropic = JsonTrees.object();
                anthropic.put(AnthropicWire.TYPE, AnthropicWire.CHOICE_AUTO);
            }
            if (!AnthropicWire.CHOICE_NONE.equals(anthropic.get(AnthropicWire.TYPE).textValue())) {
                anthropic.put(DISABLE_PARALLEL_TOOL_USE, true);
            }
        }
        return anthropic;
    }

    /** {@code max_completion_tokens} (current) wins over {@code max_tokens} (deprecated); 0 when neither is given. */
    private static long requestedMaxTokens(ObjectNode openAiRequest) {
        long completion = JsonTrees.count(openAiRequest, MAX_COMPLETION_TOKENS);
        return completion > 0 ? completion : JsonTrees.count(openAiRequest, MAX_TOKENS);
    }

    private static void copySampling(ObjectNode openAiRequest, ObjectNode anthropic, boolean thinking) {
        JsonNode temperature = openAiRequest.get(TEMPERATURE);
        boolean temperatureSent = false;
        if (!thinking && temperature != null && temperature.isNumber()) {
            double value = temperature.doubleValue();
            if (value < 0 || value > 1) {
                anthropic.put(AnthropicWire.TEMPERATURE, Math.max(0.0, Math.min(1.0, value)));
            } else {
                anthropic.set(AnthropicWire.TEMPERATURE, temperature);
            }
            temperatureSent = true;
        }
        JsonNode topP = openAiRequest.get(TOP_P);
        if (!temperatureSent && topP != null && topP.isNumber()
                && (!thinking || topP.doubleValue() >= MIN_TOP_P_WITH_THINKING)) {
            anthropic.set(AnthropicWire.TOP_P, topP);
        }
    }

    /** {@code stop} is a string or an array; Anthropic rejects empty and whitespace-only sequences. */
    private static ArrayNode stopSequences(JsonNode stop) {
        ArrayNode sequences = JsonTrees.array();
        if (stop == null) {
            return sequences;
        }
        if (stop.isTextual()) {
            addStopSequence(sequences, stop.textValue());
        } else if (stop.isArray()) {
            for (JsonNode sequence : stop) {
                if (sequence.isTextual()) {
                    addStopSequence(sequences, sequence.textValue());
                }
            }
        }
        return sequences;
    }

    private static void addStopSequence(ArrayNode sequences, String sequence) {
        if (!sequence.isBlank()) {
            sequences.add(sequence);
        }
    }
}
