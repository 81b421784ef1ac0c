package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;

/**
 * The usage of a Gemini stream: every chunk may carry {@code usageMetadata}, each a running total, so the latest is
 * the answer's. Only a chunk whose text names the field is parsed.
 */
final class GeminiStreamUsage implements StreamUsage {

    private static final String USAGE_KEY = "\"" + GeminiWire.USAGE_METADATA + "\"";

    private TokenCounts counts = TokenCounts.NONE;

    @Override
    public boolean onEvent(SseEvent event) {
        if (!event.data().contains(USAGE_KEY)) {
            return false;
        }
        JsonNode chunk = JsonTrees.parseOrNull(event.data());
        if (chunk != null && chunk.isObject()) {
            TokenCounts reported = GeminiUsage.counts(chunk.get(GeminiWire.USAGE_METADATA));
            if (!reported.isNone()) {
                counts = reported;
            }
        }
        // Gemini never sends a chunk only because usage was asked for: there is nothing to hide.
        return false;
    }

    @Override
    public TokenCounts counts() {
        return counts;
    }
}
