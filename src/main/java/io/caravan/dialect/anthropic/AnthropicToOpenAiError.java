package io.caravan.dialect.anthropic;

import io.caravan.dialect.UpstreamErrorBody;
import static io.caravan.dialect.anthropic.OpenAiWire.CODE;
import static io.caravan.dialect.anthropic.OpenAiWire.ERROR;
import static io.caravan.dialect.anthropic.OpenAiWire.MESSAGE;
import static io.caravan.dialect.anthropic.OpenAiWire.PARAM;
import static io.caravan.dialect.anthropic.OpenAiWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/**
 * Anthropic upstream errors re-shaped for an OpenAI caller: {@code {"error":{message,type,param,code}}}. The
 * message is the upstream's own text; {@code type} is the OpenAI type closest to the Anthropic one, and {@code code}
 * keeps the exact Anthropic type (for example {@code overloaded_error}), which OpenAI's types cannot express.
 */
public final class AnthropicToOpenAiError {

    /** The OpenAI error body for an Anthropic error answer with HTTP {@code status}; the status itself is kept by the caller. */
    public ObjectNode translate(int status, String upstreamBody) {
        UpstreamErrorBody error = UpstreamErrorBody.parse(status, upstreamBody);
        String anthropicType = ErrorTypes.isAnthropicType(error.type())
                ? error.type() : ErrorTypes.anthropicTypeForStatus(status);
        return body(error.message(), anthropicType);
    }

    /** The OpenAI in-band error chunk body for the data of an Anthropic {@code error} stream event. */
    public ObjectNode translateStreamError(JsonNode errorEventData) {
        UpstreamErrorBody error = UpstreamErrorBody.fromErrorObject(errorEventData.get(AnthropicWire.ERROR));
        String anthropicType = ErrorTypes.isAnthropicType(error.type()) ? error.type() : ErrorTypes.ANTHROPIC_API;
        return body(error.message(), anthropicType);
    }

    private static ObjectNode body(String message, String anthropicType) {
        ObjectNode body = JsonTrees.object();
        ObjectNode error = body.putObject(ERROR);
        error.put(MESSAGE, message);
        error.put(TYPE, ErrorTypes.openAiTypeFor(anthropicType));
        error.putNull(PARAM);
        error.put(CODE, anthropicType);
        return body;
    }
}
