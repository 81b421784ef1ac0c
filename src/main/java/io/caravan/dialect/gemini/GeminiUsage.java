package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.TokenCounts;

/**
 * Gemini's {@code usageMetadata} as the gateway counts tokens. Gemini's {@code promptTokenCount} already includes the
 * cached part ({@code cachedContentTokenCount}); its {@code candidatesTokenCount} leaves out the thinking, which it
 * counts apart ({@code thoughtsTokenCount}) and bills as output: the output here is both, and the reasoning the
 * thoughts. Tokens a tool's result added to the prompt ({@code toolUsePromptTokenCount}) are input.
 */
public final class GeminiUsage {

    private GeminiUsage() {
    }

    /** The counts of a {@code usageMetadata} object; {@link TokenCounts#NONE} for a missing or malformed one. */
    public static TokenCounts counts(JsonNode usageMetadata) {
        if (usageMetadata == null || !usageMetadata.isObject()) {
            return TokenCounts.NONE;
        }
        long prompt = count(usageMetadata, GeminiWire.PROMPT_TOKEN_COUNT)
                + count(usageMetadata, GeminiWire.TOOL_USE_PROMPT_TOKEN_COUNT);
        long thoughts = count(usageMetadata, GeminiWire.THOUGHTS_TOKEN_COUNT);
        long output = count(usageMetadata, GeminiWire.CANDIDATES_TOKEN_COUNT) + thoughts;
        return TokenCounts.reported(prompt, output, count(usageMetadata, GeminiWire.CACHED_CONTENT_TOKEN_COUNT), 0,
                thoughts);
    }

    private static long count(JsonNode usage, String field) {
        JsonNode value = usage.get(field);
        return value != null && value.canConvertToLong() && value.asLong() > 0 ? value.asLong() : 0;
    }
}
