package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.CODE;
import static io.caravan.dialect.gemini.ChatWire.ERROR;
import static io.caravan.dialect.gemini.ChatWire.MESSAGE_FIELD;
import static io.caravan.dialect.gemini.ChatWire.PARAM;
import static io.caravan.dialect.gemini.ChatWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.UpstreamErrorBody;
import io.caravan.dialect.openai.OpenAiDialect;
import java.util.Locale;

/**
 * Gemini's errors ({@code google.rpc.Status}: {@code {"error": {code, message, status, details}}}) and whatever else
 * an upstream answers with (a proxy's HTML page, plain text, nothing) as the common model's error,
 * {@code {"error": {message, type, param, code}}}. The message is Gemini's own, or a short description of a body
 * that had none (an HTML page is reduced to its title, never passed on whole); {@code type} is OpenAI's for the
 * status; {@code code} is OpenAI's where OpenAI has one for the case ({@code invalid_api_key},
 * {@code model_not_found}, {@code rate_limit_exceeded}), else Google's status name in lower case
 * ({@code invalid_argument}, {@code unavailable}, …), or the reason of an error the gateway wrote itself
 * ({@code prompt_blocked}, {@code unsupported_parameter}, {@code invalid_value}).
 */
final class GeminiToChatError {

    private static final int UNKNOWN_STATUS = 500;
    private static final String INVALID_API_KEY = "invalid_api_key";
    private static final String MODEL_NOT_FOUND = "model_not_found";
    private static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

    /** The common model's error body for a Gemini error answer with HTTP {@code status}. */
    ObjectNode translate(int status, String upstreamBody) {
        JsonNode json = JsonTrees.parseOrNull(upstreamBody);
        if (json != null && json.isArray() && !json.isEmpty()) {
            // A stream asked for without alt=sse wraps its error in the array of its chunks.
            json = json.get(0);
        }
        JsonNode error = json == null ? null : json.get(GeminiWire.ERROR);
        if (error != null && error.isObject()) {
            return fromStatus(status, error);
        }
        // Not Google's error: a proxy's page, text, other JSON or nothing, told as every translation tells it.
        return body(status, UpstreamErrorBody.parse(status, upstreamBody).message(), null, null);
    }

    /** The common model's in-band error for a Gemini stream chunk that is an error ({@code {"error": {…}}}). */
    ObjectNode translateStreamError(JsonNode chunk) {
        JsonNode error = chunk.path(GeminiWire.ERROR);
        if (!error.isObject()) {
            return body(UNKNOWN_STATUS, "upstream reported an error mid-stream", null, null);
        }
        return fromStatus(statusOf(error), error);
    }

    /** The HTTP status a {@code google.rpc.Status} stands for: its {@code code}, else its status name's. */
    private static int statusOf(JsonNode error) {
        JsonNode code = error.get(GeminiWire.CODE);
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599) {
            return code.asInt();
        }
        String name = JsonTrees.text(error, GeminiWire.STATUS);
        if (name != null) {
            for (int status : new int[] {400, 401, 403, 404, 409, 412, 429, 499, 500, 501, 503, 504}) {
                if (GoogleStatus.of(status).equals(name)) {
                    return status;
                }
            }
        }
        return UNKNOWN_STATUS;
    }

    private static ObjectNode fromStatus(int status, JsonNode error) {
        String message = JsonTrees.text(error, GeminiWire.MESSAGE);
        if (message == null || message.isBlank()) {
            message = "upstream returned HTTP " + status;
        }
        String googleStatus = JsonTrees.text(error, GeminiWire.STATUS);
        String reason = null;
        boolean gatewayReason = false;
        for (JsonNode detail : JsonTrees.elements(error, GeminiWire.DETAILS)) {
            if (GeminiWire.ERROR_INFO_TYPE.equals(JsonTrees.text(detail, GeminiWire.TYPE_URL))) {
                reason = JsonTrees.text(detail, GeminiWire.REASON);
                gatewayReason = GeminiWire.GATEWAY_DOMAIN.equals(JsonTrees.text(detail, GeminiWire.DOMAIN));
                break;
            }
        }
        String code;
        if (reason != null && gatewayReason) {
            code = reason.toLowerCase(Locale.ROOT);
        } else if (GeminiWire.REASON_API_KEY_INVALID.equals(reason)) {
            code = INVALID_API_KEY;
        } else {
            code = null;
        }
        return body(status, message, code, googleStatus);
    }

    private static ObjectNode body(int status, String message, String code, String googleStatus) {
        ObjectNode body = JsonTrees.object();
        ObjectNode error = body.putObject(ERROR);
        error.put(MESSAGE_FIELD, message);
        error.put(TYPE, OpenAiDialect.errorType(status));
        error.putNull(PARAM);
        error.put(CODE, code != null ? code : codeForStatus(status, googleStatus));
        return body;
    }

    private static String codeForStatus(int status, String googleStatus) {
        return switch (status) {
            case 401 -> INVALID_API_KEY;
            case 404 -> MODEL_NOT_FOUND;
            case 429 -> RATE_LIMIT_EXCEEDED;
            default -> (googleStatus != null ? googleStatus : GoogleStatus.of(status)).toLowerCase(Locale.ROOT);
        };
    }
}
