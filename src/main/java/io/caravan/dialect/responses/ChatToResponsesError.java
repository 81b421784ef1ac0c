package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.openai.OpenAiDialect;

/**
 * Chat Completions errors for a Responses caller. The Responses API reports errors in the Chat Completions shape
 * ({@code {"error":{message, type, param, code}}}), so a whole error answer keeps the upstream's fields; an error in
 * the middle of a stream becomes the {@code error} of a {@code response.failed} event, whose {@code code} Codex reads
 * ({@code rate_limit_exceeded}, {@code context_length_exceeded}, {@code insufficient_quota} …).
 */
final class ChatToResponsesError {

    static final String SERVER_ERROR = "server_error";
    static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

    /** The Responses error body for an upstream error answer with HTTP {@code status}. */
    ObjectNode translate(int status, String upstreamBody) {
        JsonNode json = JsonTrees.parseOrNull(upstreamBody);
        JsonNode error = json == null ? null : json.get(ERROR);
        String message = null;
        String type = null;
        String param = null;
        String code = null;
        if (error != null && error.isObject()) {
            message = JsonTrees.text(error, MESSAGE);
            type = JsonTrees.text(error, TYPE);
            param = JsonTrees.scalarText(error, PARAM);
            code = JsonTrees.scalarText(error, CODE);
        } else if (error != null && error.isTextual()) {
            message = error.textValue();
        }
        return body(JsonTrees.isEmpty(message) ? "The upstream answered HTTP " + status : message,
                type == null ? OpenAiDialect.errorType(status) : type, param, code);
    }

    /** The {@code error} of {@code response.failed} for the {@code error} object of an upstream stream chunk. */
    static ObjectNode streamError(JsonNode chatError) {
        String message = JsonTrees.text(chatError, MESSAGE);
        if (JsonTrees.isEmpty(message)) {
            message = chatError != null && chatError.isTextual() ? chatError.textValue()
                    : "The upstream reported an error in the middle of the answer";
        }
        String code = JsonTrees.scalarText(chatError, CODE);
        if (code == null) {
            code = "rate_limit_error".equals(JsonTrees.text(chatError, TYPE)) ? RATE_LIMIT_EXCEEDED : SERVER_ERROR;
        }
        return failure(code, message);
    }

    /** The {@code error} of {@code response.failed} for a failure the gateway saw with this HTTP status. */
    static ObjectNode failure(int status, String message) {
        return failure(status == 429 ? RATE_LIMIT_EXCEEDED : SERVER_ERROR, message);
    }

    private static ObjectNode failure(String code, String message) {
        ObjectNode error = JsonTrees.object();
        error.put(CODE, code);
        error.put(MESSAGE, message);
        return error;
    }

    static ObjectNode body(String message, String type, String param, String code) {
        ObjectNode body = JsonTrees.object();
        ObjectNode error = body.putObject(ERROR);
        error.put(MESSAGE, message);
        error.put(TYPE, type);
        if (param == null) {
            error.putNull(PARAM);
        } else {
            error.put(PARAM, param);
        }
        if (code == null) {
            error.putNull(CODE);
        } else {
            error.put(CODE, code);
        }
        return body;
    }
}
