package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.OpenAiWire.ARGUMENTS;
import static io.caravan.dialect.anthropic.OpenAiWire.CHOICES;
import static io.caravan.dialect.anthropic.OpenAiWire.CONTENT;
import static io.caravan.dialect.anthropic.OpenAiWire.FINISH_REASON;
import static io.caravan.dialect.anthropic.OpenAiWire.FUNCTION;
import static io.caravan.dialect.anthropic.OpenAiWire.ID;
import static io.caravan.dialect.anthropic.OpenAiWire.MESSAGE;
import static io.caravan.dialect.anthropic.OpenAiWire.NAME;
import static io.caravan.dialect.anthropic.OpenAiWire.REASONING_SIGNATURE;
import static io.caravan.dialect.anthropic.OpenAiWire.REFUSAL;
import static io.caravan.dialect.anthropic.OpenAiWire.TOOL_CALLS;
import static io.caravan.dialect.anthropic.OpenAiWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;

/**
 * A non-streaming OpenAI chat completion (its first choice) as an Anthropic message.
 *
 * <p>Block order follows Anthropic's: thinking (from {@code reasoning_content}, or {@code reasoning} as some
 * OpenAI-compatible servers name it), then text, then tool_use blocks with the JSON arguments parsed into
 * {@code input}. A thinking block carries the {@code reasoning_signature} if the upstream sent one, else an empty
 * signature. A refusal with no content becomes the text. Empty text is left out, as Anthropic never sends empty
 * text blocks. {@code stop_sequence} is always null: OpenAI does not say which sequence stopped it.
 */
public final class OpenAiToAnthropicResponse {

    private final IdGenerator ids;

    public OpenAiToAnthropicResponse(IdGenerator ids) {
        this.ids = ids;
    }

    public ObjectNode translate(ObjectNode openAiResponse, String callerModel) {
        JsonNode choice = openAiResponse.path(CHOICES).path(0);
        JsonNode message = choice.path(MESSAGE);

        ArrayNode content = JsonTrees.array();
        String reasoning = CommonMessages.reasoningText(message);
        String signature = JsonTrees.text(message, REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(reasoning) || !JsonTrees.isEmpty(signature)) {
            ObjectNode thinking = content.addObject();
            thinking.put(AnthropicWire.TYPE, AnthropicWire.BLOCK_THINKING);
            thinking.put(AnthropicWire.THINKING, reasoning == null ? "" : reasoning);
            thinking.put(AnthropicWire.SIGNATURE, signature == null ? "" : signature);
        }
        String text = CommonMessages.contentText(message.path(CONTENT));
        if (text.isEmpty() && !JsonTrees.isEmpty(JsonTrees.text(message, REFUSAL))) {
            text = JsonTrees.text(message, REFUSAL);
        }
        if (!text.isEmpty()) {
            content.add(AnthropicMessageSequence.textBlock(text));
        }
        for (JsonNode call : JsonTrees.elements(message, TOOL_CALLS)) {
            ObjectNode toolUse = content.addObject();
            toolUse.put(AnthropicWire.TYPE, AnthropicWire.BLOCK_TOOL_USE);
            toolUse.put(AnthropicWire.ID, ToolCalls.anthropicId(JsonTrees.text(call, ID), ids));
            toolUse.put(AnthropicWire.NAME, JsonTrees.text(call.path(FUNCTION), NAME));
            toolUse.set(AnthropicWire.INPUT, ToolCalls.inputFromArguments(JsonTrees.text(call.path(FUNCTION), ARGUMENTS)));
        }

        ObjectNode anthropic = JsonTrees.object();
        String id = JsonTrees.text(openAiResponse, ID);
        anthropic.put(AnthropicWire.ID, JsonTrees.isEmpty(id) ? ids.newId(AnthropicWire.MESSAGE_ID_PREFIX) : id);
        anthropic.put(AnthropicWire.TYPE, AnthropicWire.TYPE_MESSAGE);
        anthropic.put(AnthropicWire.ROLE, AnthropicWire.ROLE_ASSISTANT);
        anthropic.put(AnthropicWire.MODEL, callerModel);
        anthropic.set(AnthropicWire.CONTENT, content);
        anthropic.put(AnthropicWire.STOP_REASON, StopReasons.toAnthropic(JsonTrees.text(choice, FINISH_REASON)));
        anthropic.putNull(AnthropicWire.STOP_SEQUENCE);
        anthropic.set(AnthropicWire.USAGE, TokenUsage.fromOpenAi(openAiResponse.get(USAGE)).toAnthropic());
        return anthropic;
    }
}
