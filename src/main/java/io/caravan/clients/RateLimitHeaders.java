package io.caravan.clients;

/**
 * The rate-limit headers OpenAI sends with every answer, which the gateway sends for a client's configured limits
 * (in every dialect: the SDKs of the others ignore them, and tools written against OpenAI read them).
 */
public final class RateLimitHeaders {

    public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    public static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    public static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    public static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    public static final String RESET_TOKENS = "x-ratelimit-reset-tokens";

    private RateLimitHeaders() {
    }

    /**
     * A duration as Go's {@code time.Duration.String()} writes it, which is how OpenAI's reset headers read: {@code
     * 0s}, {@code 20ms} under a second, else hours and minutes when there are any and seconds with their fraction
     * ({@code 1s}, {@code 59.5s}, {@code 6m0s}, {@code 1h0m0.25s}). Negative durations are written as {@code 0s}.
     */
    public static String duration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder out = new StringBuilder(12);
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(millis / 1000 % 60);
        int fraction = (int) (millis % 1000);
        if (fraction > 0) {
            String digits = Integer.toString(fraction + 1000).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.append('s').toString();
    }
}
