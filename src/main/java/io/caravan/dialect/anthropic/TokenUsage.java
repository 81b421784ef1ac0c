package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.CACHE_CREATION_INPUT_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.CACHE_READ_INPUT_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT_TOKENS;
import static io.caravan.dialect.anthropic.AnthropicWire.OUTPUT_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.CACHED_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.COMPLETION_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.PROMPT_TOKENS;
import static io.caravan.dialect.anthropic.OpenAiWire.PROMPT_TOKENS_DETAILS;
import static io.caravan.dialect.anthropic.OpenAiWire.TOTAL_TOKENS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TokenCounts;

/**
 * Token counts in Anthropic's terms, where {@code inputTokens} excludes the cached tokens; OpenAI's
 * {@code prompt_tokens} is the sum of all three input counts and its {@code cached_tokens} the cache reads.
 */
record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {

    static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    static TokenUsage fromAnthropic(JsonNode usage) {
        return NONE.updatedBy(usage);
    }

    /**
     * These counts with every count present in a later Anthropic usage object replacing ours: {@code message_delta}
     * carries the final output count and, on newer API versions, repeats the input counts.
     */
    TokenUsage updatedBy(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return this;
        }
        return new TokenUsage(
                countOr(usage, INPUT_TOKENS, inputTokens),
                countOr(usage, OUTPUT_TOKENS, outputTokens),
                countOr(usage, CACHE_READ_INPUT_TOKENS, cacheReadTokens),
                countOr(usage, CACHE_CREATION_INPUT_TOKENS, cacheCreationTokens));
    }

    static TokenUsage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        long prompt = JsonTrees.count(usage, PROMPT_TOKENS);
        long cached = Math.min(prompt, JsonTrees.count(usage.get(PROMPT_TOKENS_DETAILS), CACHED_TOKENS));
        return new TokenUsage(prompt - cached, JsonTrees.count(usage, COMPLETION_TOKENS), cached, 0);
    }

    ObjectNode toOpenAi() {
        long prompt = inputTokens + cacheReadTokens + cacheCreationTokens;
        ObjectNode usage = JsonTrees.object();
        usage.put(PROMPT_TOKENS, prompt);
        usage.put(COMPLETION_TOKENS, outputTokens);
        usage.put(TOTAL_TOKENS, prompt + outputTokens);
        usage.putObject(PROMPT_TOKENS_DETAILS).put(CACHED_TOKENS, cacheReadTokens);
        return usage;
    }

    ObjectNode toAnthropic() {
        ObjectNode usage = JsonTrees.object();
        usage.put(INPUT_TOKENS, inputTokens);
        usage.put(CACHE_CREATION_INPUT_TOKENS, cacheCreationTokens);
        usage.put(CACHE_READ_INPUT_TOKENS, cacheReadTokens);
        usage.put(OUTPUT_TOKENS, outputTokens);
        return usage;
    }

    /** These counts in the shape every dialect shares, whose input includes the cache reads and writes. */
    TokenCounts toCounts() {
        return new TokenCounts(inputTokens + cacheReadTokens + cacheCreationTokens, outputTokens, cacheReadTokens,
                cacheCreationTokens, 0);
    }

    private static long countOr(JsonNode usage, String field, long fallback) {
        JsonNode value = usage.get(field);
        return value != null && value.isNumber() ? Math.max(0, value.asLong()) : fallback;
    }
}
