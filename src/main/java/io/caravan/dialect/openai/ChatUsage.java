package io.caravan.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TokenCounts;

/**
 * OpenAI Chat Completions' {@code usage} object as {@link TokenCounts}: {@code prompt_tokens} already counts the
 * cached tokens ({@code prompt_tokens_details.cached_tokens}) and {@code completion_tokens} the reasoning ones
 * ({@code completion_tokens_details.reasoning_tokens}). OpenAI reports no cache writes; compatible servers that
 * do report them as {@code prompt_tokens_details.cache_write_tokens}, as OpenAI Responses names them.
 */
final class ChatUsage {

    static final String USAGE = "usage";
    private static final String PROMPT_TOKENS = "prompt_tokens";
    private static final String COMPLETION_TOKENS = "completion_tokens";
    private static final String PROMPT_TOKENS_DETAILS = "prompt_tokens_details";
    private static final String CACHED_TOKENS = "cached_tokens";
    private static final String CACHE_WRITE_TOKENS = "cache_write_tokens";
    private static final String COMPLETION_TOKENS_DETAILS = "completion_tokens_details";
    private static final String REASONING_TOKENS = "reasoning_tokens";

    private ChatUsage() {
    }

    /** The counts of a {@code usage} object; {@link TokenCounts#NONE} when it is absent, {@code null} or no object. */
    static TokenCounts of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return TokenCounts.NONE;
        }
        JsonNode inputDetails = usage.get(PROMPT_TOKENS_DETAILS);
        return TokenCounts.reported(JsonTrees.count(usage, PROMPT_TOKENS), JsonTrees.count(usage, COMPLETION_TOKENS),
                JsonTrees.count(inputDetails, CACHED_TOKENS), JsonTrees.count(inputDetails, CACHE_WRITE_TOKENS),
                JsonTrees.count(usage.get(COMPLETION_TOKENS_DETAILS), REASONING_TOKENS));
    }
}
