package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT;
import static io.caravan.dialect.anthropic.AnthropicWire.ID;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT;
import static io.caravan.dialect.anthropic.AnthropicWire.NAME;
import static io.caravan.dialect.anthropic.AnthropicWire.SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_REASON;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import java.time.Clock;

/**
 * A non-streaming Anthropic message as an OpenAI chat completion.
 *
 * <p>Text blocks are joined into {@code content}; tool_use blocks become {@code tool_calls} (arguments as a JSON
 * string). A thinking block becomes {@code reasoning_content} (the de-facto OpenAI-compatible name, shown by
 * clients that know it) plus {@code reasoning_signature}, Caravan's own field: a caller that sends both back on
 * the assistant message gets the signed thinking block replayed to Anthropic, which a tool-use turn with thinking
 * requires. Redacted thinking and server-tool blocks have no OpenAI form and are left out. The upstream message
 * id is kept; {@code created} is the translation time.
 */
public final class AnthropicToOpenAiResponse {

    private final IdGenerator ids;
    private final Clock clock;

    public AnthropicToOpenAiResponse(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    public ObjectNode translate(ObjectNode anthropicResponse, String callerModel) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String signature = null;
        ArrayNode toolCalls = JsonTrees.array();
        for (JsonNode block : JsonTrees.elements(anthropicResponse, CONTENT)) {
            switch (block.path(TYPE).asText()) {
                case BLOCK_TEXT -> text.append(block.path(TEXT).asText());
                case BLOCK_THINKING -> {
                    reasoning.append(block.path(THINKING).asText());
                    signature = JsonTrees.text(block, SIGNATURE);
                }
                case BLOCK_TOOL_USE -> toolCalls.add(toolCall(block));
                default -> {
                    // redacted_thinking, server_tool_use, web_search_tool_result: nothing an OpenAI client can use
                }
            }
        }

        ObjectNode message = JsonTrees.object();
        message.put(OpenAiWire.ROLE, OpenAiWire.ROLE_ASSISTANT);
        if (text.length() == 0 && !toolCalls.isEmpty()) {
            message.putNull(OpenAiWire.CONTENT);
        } else {
            message.put(OpenAiWire.CONTENT, text.toString());
        }
        message.putNull(OpenAiWire.REFUSAL);
        if (reasoning.length() > 0 || !JsonTrees.isEmpty(signature)) {
            message.put(OpenAiWire.REASONING_CONTENT, reasoning.toString());
        }
        if (!JsonTrees.isEmpty(signature)) {
            message.put(OpenAiWire.REASONING_SIGNATURE, signature);
        }
        if (!toolCalls.isEmpty()) {
            message.set(OpenAiWire.TOOL_CALLS, toolCalls);
        }

        ObjectNode completion = JsonTrees.object();
        String id = JsonTrees.text(anthropicResponse, ID);
        completion.put(OpenAiWire.ID, JsonTrees.isEmpty(id) ? ids.newId(OpenAiWire.COMPLETION_ID_PREFIX) : id);
        completion.put(OpenAiWire.OBJECT, OpenAiWire.OBJECT_COMPLETION);
        completion.put(OpenAiWire.CREATED, clock.instant().getEpochSecond());
        completion.put(OpenAiWire.MODEL, callerModel);
        ObjectNode choice = completion.putArray(OpenAiWire.CHOICES).addObject();
        choice.put(OpenAiWire.INDEX, 0);
        choice.set(OpenAiWire.MESSAGE, message);
        choice.putNull(OpenAiWire.LOGPROBS);
        choice.put(OpenAiWire.FINISH_REASON, StopReasons.toOpenAi(JsonTrees.text(anthropicResponse, STOP_REASON)));
        completion.set(OpenAiWire.USAGE, TokenUsage.fromAnthropic(anthropicResponse.get(USAGE)).toOpenAi());
        return completion;
    }

    private ObjectNode toolCall(JsonNode toolUse) {
        ObjectNode call = JsonTrees.object();
        call.put(OpenAiWire.ID, ToolCalls.openAiId(JsonTrees.text(toolUse, ID), ids));
        call.put(OpenAiWire.TYPE, OpenAiWire.TYPE_FUNCTION);
        ObjectNode function = call.putObject(OpenAiWire.FUNCTION);
        function.put(OpenAiWire.NAME, JsonTrees.text(toolUse, NAME));
        function.put(OpenAiWire.ARGUMENTS, ToolCalls.argumentsFromInput(toolUse.get(INPUT)));
        return call;
    }
}
