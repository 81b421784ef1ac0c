package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.CODE;
import static io.caravan.dialect.gemini.ChatWire.ERROR;
import static io.caravan.dialect.gemini.ChatWire.MESSAGE_FIELD;
import static io.caravan.dialect.gemini.ChatWire.PARAM;
import static io.caravan.dialect.gemini.ChatWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.openai.OpenAiDialect;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final int MAX_MESSAGE_LENGTH = 500;
    private static final int UNKNOWN_STATUS = 500;
    private static final String INVALID_API_KEY = "invalid_api_key";
    private static final String MODEL_NOT_FOUND = "model_not_found";
    private static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    private static final Pattern HTML_TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_HEADING = Pattern.compile("<h1[^>]*>(.*?)</h1>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The common model's error body for a Gemini error answer with HTTP {@code status}. */
    ObjectNode translate(int status, String upstreamBody) {
        if (upstreamBody == null || upstreamBody.isBlank()) {
            return body(status, "upstream returned HTTP " + status + " with an empty body", null, null);
        }
        JsonNode json = JsonTrees.parseOrNull(upstreamBody);
        if (json != null && json.isArray() && !json.isEmpty()) {
            // A stream asked for without alt=sse wraps its error in the array of its chunks.
            json = json.get(0);
        }
        if (json != null && json.isObject()) {
            JsonNode error = json.get(GeminiWire.ERROR);
            if (error != null && error.isObject()) {
                return fromStatus(status, error);
            }
            String message = error != null && error.isTextual() ? error.textValue() : JsonTrees.text(json, MESSAGE_FIELD);
            return body(status, clean(message != null ? message : JsonTrees.write(json)), null, null);
        }
        String text = upstreamBody.stripLeading();
        if (text.startsWith("<") || text.toLowerCase(Locale.ROOT).contains("<html")) {
            return body(status, htmlSummary(status, upstreamBody), null, null);
        }
        return body(status, clean(upstreamBody), null, null);
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

    /** "upstream returned HTTP 502: 502 Bad Gateway", from the page's title or first heading. */
    private static String htmlSummary(int status, String html) {
        String summary = firstMatch(HTML_TITLE, html);
        if (summary == null) {
            summary = firstMatch(HTML_HEADING, html);
        }
        String prefix = "upstream returned HTTP " + status;
        return summary == null ? prefix + " with an HTML error page" : prefix + ": " + summary;
    }

    private static String firstMatch(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        if (!matcher.find()) {
            return null;
        }
        String text = clean(HTML_TAG.matcher(matcher.group(1)).replaceAll(" "));
        return text.isEmpty() ? null : text;
    }

    /** Whitespace collapsed and the length capped, so that an SDK's exception message stays readable. */
    private static String clean(String text) {
        String collapsed = WHITESPACE.matcher(text).replaceAll(" ").strip();
        return collapsed.length() <= MAX_MESSAGE_LENGTH ? collapsed : collapsed.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}
