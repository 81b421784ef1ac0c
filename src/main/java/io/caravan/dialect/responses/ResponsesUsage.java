package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.CACHED_TOKENS;
import static io.caravan.dialect.responses.ResponsesWire.CACHE_WRITE_TOKENS;
import static io.caravan.dialect.responses.ResponsesWire.INPUT_TOKENS;
import static io.caravan.dialect.responses.ResponsesWire.INPUT_TOKENS_DETAILS;
import static io.caravan.dialect.responses.ResponsesWire.OUTPUT_TOKENS;
import static io.caravan.dialect.responses.ResponsesWire.OUTPUT_TOKENS_DETAILS;
import static io.caravan.dialect.responses.ResponsesWire.REASONING_TOKENS;
import static io.caravan.dialect.responses.ResponsesWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TokenCounts;

/**
 * A response object's {@code usage} as {@link TokenCounts}: {@code input_tokens} already counts the cached tokens
 * ({@code input_tokens_details.cached_tokens}, and {@code cache_write_tokens} where reported), and
 * {@code output_tokens} the reasoning ones ({@code output_tokens_details.reasoning_tokens}).
 */
final class ResponsesUsage {

    private ResponsesUsage() {
    }

    /** The counts of a response object; {@link TokenCounts#NONE} when it has no usage object ({@code null} too). */
    static TokenCounts ofResponse(JsonNode response) {
        JsonNode usage = response == null ? null : response.get(USAGE);
        if (usage == null || !usage.isObject()) {
            return TokenCounts.NONE;
        }
        JsonNode inputDetails = usage.get(INPUT_TOKENS_DETAILS);
        return TokenCounts.reported(JsonTrees.count(usage, INPUT_TOKENS), JsonTrees.count(usage, OUTPUT_TOKENS),
                JsonTrees.count(inputDetails, CACHED_TOKENS), JsonTrees.count(inputDetails, CACHE_WRITE_TOKENS),
                JsonTrees.count(usage.get(OUTPUT_TOKENS_DETAILS), REASONING_TOKENS));
    }
}
