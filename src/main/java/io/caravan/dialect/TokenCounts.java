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
