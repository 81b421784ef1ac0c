package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.TextTokens;
import java.util.Map;

/**
 * A local estimate answering {@code :countTokens} for a model only credentials of other dialects serve (they cannot
 * count Gemini's tokens). Meant to be close and to err high, as the Anthropic estimate does: one token per 4
 * characters below U+0800 and one per character above, per piece of text; {@value #MEDIA_TOKENS} tokens for each
 * inline or referenced file (Gemini's price of an image up to 384 pixels a side, the least it charges); function
 * calls, results and declarations as the text of their JSON. A request may name its contents directly or inside a
 * {@code generateContentRequest}, as the API allows.
 */
final class GeminiTokenEstimate {

    static final int MEDIA_TOKENS = 258;
    static final int CONTENT_OVERHEAD = 3;
    private static final String GENERATE_CONTENT_REQUEST = "generateContentRequest";

    private GeminiTokenEstimate() {
    }

    static int estimate(JsonNode request) {
        JsonNode body = request.has(GENERATE_CONTENT_REQUEST) ? request.get(GENERATE_CONTENT_REQUEST) : request;
        long tokens = content(body.get(GeminiWire.SYSTEM_INSTRUCTION));
        JsonNode contents = body.get(GeminiWire.CONTENTS);
        if (contents != null && contents.isArray()) {
            for (JsonNode content : contents) {
                tokens += CONTENT_OVERHEAD + content(content);
            }
        }
        JsonNode tools = body.get(GeminiWire.TOOLS);
        if (tools != null && !tools.isNull()) {
            tokens += text(tools.toString());
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /** A {@code Content}: the tokens of its parts. */
    private static long content(JsonNode content) {
        if (content == null || !content.isObject()) {
            return 0;
        }
        JsonNode parts = content.get(GeminiWire.PARTS);
        if (parts == null || !parts.isArray()) {
            return 0;
        }
        long tokens = 0;
        for (JsonNode part : parts) {
            tokens += part(part);
        }
        return tokens;
    }

    private static long part(JsonNode part) {
        if (part.hasNonNull(GeminiWire.TEXT)) {
            return text(part.get(GeminiWire.TEXT).asText());
        }
        if (part.has(GeminiWire.INLINE_DATA) || part.has(GeminiWire.FILE_DATA)) {
            return MEDIA_TOKENS;
        }
        long tokens = 0;
        for (Map.Entry<String, JsonNode> field : part.properties()) {
            if (!GeminiWire.THOUGHT_SIGNATURE.equals(field.getKey())) {
                tokens += text(field.getValue().toString());
            }
        }
        return tokens;
    }

    static long text(String text) {
        return TextTokens.estimate(text);
    }
}
