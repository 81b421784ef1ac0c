package io.caravan.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The useful parts of an upstream error, whatever shape it came in, for every dialect's error translation: either dialect's JSON error, other JSON
 * ({@code {"error":"…"}}, {@code {"message":"…"}}, {@code {"detail":"…"}}), an HTML page from a proxy, plain text or
 * nothing. The message is always clean, short text: an HTML page is reduced to its title, never passed on whole.
 *
 * @param type    the upstream's error type, or null when the body named none
 * @param message the upstream's message text, or a description of the body when it had no message
 * @param code    the upstream's error code (OpenAI), or null
 * @param param   the request parameter at fault (OpenAI), or null
 */
public record UpstreamErrorBody(String type, String message, String code, String param) {

    private static final String ERROR = "error";
    private static final String TYPE = "type";
    private static final String MESSAGE = "message";
    private static final String DETAIL = "detail";
    private static final String CODE = "code";
    private static final String PARAM = "param";
    private static final int MAX_MESSAGE_LENGTH = 500;
    private static final Pattern HTML_TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_HEADING = Pattern.compile("<h1[^>]*>(.*?)</h1>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The parts of an error answer with HTTP {@code status}; never throws. */
    public static UpstreamErrorBody parse(int status, String body) {
        if (body == null || body.isBlank()) {
            return messageOnly("upstream returned HTTP " + status + " with an empty body");
        }
        JsonNode json = JsonTrees.parseOrNull(body);
        if (json != null && json.isArray() && !json.isEmpty()) {
            // Google's OpenAI-compatible endpoint wraps its error object in an array
            json = json.get(0);
        }
        if (json != null && json.isObject()) {
            return fromJson(status, json);
        }
        if (looksLikeHtml(body)) {
            return messageOnly(htmlSummary(status, body));
        }
        return messageOnly(clean(body));
    }

    /** The value of an in-band stream error's {@code error} field (an object in both dialects). */
    public static UpstreamErrorBody fromErrorObject(JsonNode error) {
        if (error != null && error.isObject()) {
            String message = JsonTrees.text(error, MESSAGE);
            return new UpstreamErrorBody(JsonTrees.text(error, TYPE),
                    message == null || message.isBlank() ? "upstream reported an error mid-stream" : message,
                    JsonTrees.scalarText(error, CODE), JsonTrees.scalarText(error, PARAM));
        }
        if (error != null && error.isTextual()) {
            return messageOnly(clean(error.textValue()));
        }
        return messageOnly("upstream reported an error mid-stream");
    }

    private static UpstreamErrorBody fromJson(int status, JsonNode json) {
        JsonNode error = json.get(ERROR);
        if (error != null && error.isObject()) {
            String message = JsonTrees.text(error, MESSAGE);
            return new UpstreamErrorBody(JsonTrees.text(error, TYPE),
                    message == null || message.isBlank() ? "upstream returned HTTP " + status : message,
                    JsonTrees.scalarText(error, CODE), JsonTrees.scalarText(error, PARAM));
        }
        if (error != null && error.isTextual()) {
            return messageOnly(clean(error.textValue()));
        }
        String message = JsonTrees.text(json, MESSAGE);
        if (message == null) {
            message = JsonTrees.text(json, DETAIL);
        }
        return messageOnly(message != null ? clean(message) : clean(JsonTrees.write(json)));
    }

    private static UpstreamErrorBody messageOnly(String message) {
        return new UpstreamErrorBody(null, message, null, null);
    }

    private static boolean looksLikeHtml(String body) {
        return body.stripLeading().startsWith("<") || body.toLowerCase(Locale.ROOT).contains("<html");
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
        String text = clean(decodeEntities(HTML_TAG.matcher(matcher.group(1)).replaceAll(" ")));
        return text.isEmpty() ? null : text;
    }

    private static String decodeEntities(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** Whitespace collapsed to single spaces and the length capped, so a log line or SDK exception stays readable. */
    private static String clean(String text) {
        String collapsed = WHITESPACE.matcher(text).replaceAll(" ").strip();
        return collapsed.length() <= MAX_MESSAGE_LENGTH ? collapsed : collapsed.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}
