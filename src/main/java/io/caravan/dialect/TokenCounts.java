package io.caravan.dialect;

/**
 * The tokens one answer cost, as its upstream reported them, in one shape for every dialect: what usage metering,
 * client limits and budgets count. {@code input} is every input token, cached or not (OpenAI's {@code prompt_tokens};
 * Anthropic's {@code input_tokens} plus its cache reads and writes); {@code cacheRead} and {@code cacheWrite} are the
 * parts of it read from and written to the provider's prompt cache. {@code reasoning} is the part of {@code output}
 * spent on reasoning, where the provider tells it apart.
 */
public record TokenCounts(long input, long output, long cacheRead, long cacheWrite, long reasoning) {

    /** An answer that reported no usage (or no answer at all). */
    public static final TokenCounts NONE = new TokenCounts(0, 0, 0, 0, 0);

    /**
     * The counts as an upstream reported them, each part held to its whole (a cache part to what is left of the input,
     * reasoning to the output), whatever an OpenAI-compatible server writes.
     */
    public static TokenCounts reported(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        long read = Math.min(input, cacheRead);
        return new TokenCounts(input, output, read, Math.min(input - read, cacheWrite), Math.min(output, reasoning));
    }

    /** What limits and budgets count: input and output. */
    public long total() {
        return input + output;
    }

    public boolean isNone() {
        return input == 0 && output == 0 && cacheRead == 0 && cacheWrite == 0 && reasoning == 0;
    }

    public TokenCounts plus(TokenCounts other) {
        return new TokenCounts(input + other.input, output + other.output, cacheRead + other.cacheRead,
                cacheWrite + other.cacheWrite, reasoning + other.reasoning);
    }
}
