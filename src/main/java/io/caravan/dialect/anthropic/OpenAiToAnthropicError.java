package io.caravan.dialect.anthropic;

import io.caravan.dialect.UpstreamErrorBody;
import static io.caravan.dialect.anthropic.AnthropicWire.ERROR;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE_ERROR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/**
 * OpenAI upstream errors re-shaped for an Anthropic caller: {@code {"type":"error","error":{type,message}}}. The
 * type follows the HTTP status (Anthropic's SDKs classify errors by status too); the message is the upstream's own
 * text, except that an OpenAI {@code context_length_exceeded} message is prefixed with Anthropic's wording
 * "prompt is too long: ", which Claude Code looks for to compact the conversation.
 */
public final class OpenAiToAnthropicError {

    private static final String PROMPT_TOO_LONG = "prompt is too long: ";

    /** The Anthropic error body for an OpenAI error answer with HTTP {@code status}; the status itself is kept by the caller. */
    public ObjectNode translate(int status, String upstreamBody) {
        UpstreamErrorBody error = UpstreamErrorBody.parse(status, upstreamBody);
        return body(ErrorTypes.anthropicTypeForStatus(status), messageOf(error));
    }

    /** The data of the Anthropic {@code error} event for the {@code error} object of an OpenAI stream chunk. */
    public ObjectNode translateStreamError(JsonNode openAiErrorObject) {
        UpstreamErrorBody error = UpstreamErrorBody.fromErrorObject(openAiErrorObject);
        return body(ErrorTypes.anthropicTypeForOpenAi(error.type(), error.code()), messageOf(error));
    }

    private static String messageOf(UpstreamErrorBody error) {
        if (ErrorTypes.OPENAI_CONTEXT_LENGTH_EXCEEDED.equals(error.code()) && !error.message().startsWith(PROMPT_TOO_LONG)) {
            return PROMPT_TOO_LONG + error.message();
        }
        return error.message();
    }

    private static ObjectNode body(String anthropicType, String message) {
        ObjectNode body = JsonTrees.object();
        body.put(TYPE, TYPE_ERROR);
        ObjectNode error = body.putObject(ERROR);
        error.put(TYPE, anthropicType);
        error.put(MESSAGE, message);
        return body;
    }
}
