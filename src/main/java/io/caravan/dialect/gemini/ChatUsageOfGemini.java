package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.CACHED_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.COMPLETION_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.COMPLETION_TOKENS_DETAILS;
import static io.caravan.dialect.gemini.ChatWire.PROMPT_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.PROMPT_TOKENS_DETAILS;
import static io.caravan.dialect.gemini.ChatWire.REASONING_TOKENS;
import static io.caravan.dialect.gemini.ChatWire.TOTAL_TOKENS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TokenCounts;

/**
 * Gemini's {@code usageMetadata} as the common model's {@code usage}, counted as {@link GeminiUsage} counts it: the
 * prompt with its cached part and what tool results added, the output with the thoughts (which Gemini counts apart
 * and bills as output), the reasoning the thoughts.
 */
final class ChatUsageOfGemini {

    private ChatUsageOfGemini() {
    }

    static ObjectNode usage(JsonNode usageMetadata) {
        TokenCounts counts = GeminiUsage.counts(usageMetadata);
        ObjectNode usage = JsonTrees.object();
        usage.put(PROMPT_TOKENS, counts.input());
        usage.put(COMPLETION_TOKENS, counts.output());
        usage.put(TOTAL_TOKENS, counts.input() + counts.output());
        usage.putObject(PROMPT_TOKENS_DETAILS).put(CACHED_TOKENS, counts.cacheRead());
        usage.putObject(COMPLETION_TOKENS_DETAILS).put(REASONING_TOKENS, counts.reasoning());
        return usage;
    }
}
