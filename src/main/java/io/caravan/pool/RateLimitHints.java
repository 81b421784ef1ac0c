package io.caravan.pool;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a 429 asks us to wait from the headers the providers send: {@code retry-after} (seconds or an
 * HTTP-date), Anthropic's {@code anthropic-ratelimit-*-reset} (RFC 3339 instants) and OpenAI's
 * {@code x-ratelimit-reset-*} (durations such as {@code 1s}, {@code 6m0s}, {@code 250ms}); and from Gemini's error
 * body, whose {@code RetryInfo} detail says it ({@code "retryDelay": "17s"}).
 */
public final class RateLimitHints {

    private static final String[] LIMITS = {"requests", "tokens", "input-tokens", "output-tokens"};
    private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final String RETRY_DELAY = "\"retryDelay\"";
    private static final Pattern RETRY_DELAY_VALUE = Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d{1,9}(?:\\.\\d{1,9})?)s\"");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RateLimitHints() {
    }

    /**
     * The wait the upstream asked for, or {@code null} when it gave none. {@code retry-after} wins; otherwise the
     * longest reset among the limits reported exhausted (remaining = 0), or among all reported limits if none is.
     */
    public static Duration retryAfter(Function<String, String> header, Instant now) {
        Hint hint = read(header, now);
        return hint == null ? null : hint.delay();
    }

    /**
     * The wait the upstream asked for and the header that said so, or {@code null} when it gave none; chosen as
     * {@link #retryAfter} chooses.
     */
    public static Hint read(Function<String, String> header, Instant now) {
        return read(header, null, now);
    }

    /**
     * As {@link #read(Function, Instant)}, also reading the error body: Gemini says how long to wait only there, in
     * a {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "17s"}), which counts after {@code retry-after}.
     *
     * @param body the upstream's error body, or {@code null}
     */
    public static Hint read(Function<String, String> header, String body, Instant now) {
        String retryAfterValue = header.apply("retry-after");
        Duration retryAfter = parseRetryAfter(retryAfterValue, now);
        if (retryAfter != null) {
            String value = retryAfterValue.trim();
            return new Hint(retryAfter, "Retry-After " + (DELAY_SECONDS.matcher(value).matches() ? value + "s" : value));
        }
        Hint retryInfo = retryInfo(body);
        if (retryInfo != null) {
            return retryInfo;
        }
        Hint exhausted = null;
        Hint any = null;
        for (String limit : LIMITS) {
            String anthropicHeader = "anthropic-ratelimit-" + limit + "-reset";
            String openAiHeader = "x-ratelimit-reset-" + limit;
            String anthropicValue = header.apply(anthropicHeader);
            String openAiValue = header.apply(openAiHeader);
            Hint[] resets = {
                hint(parseInstant(anthropicValue, now), anthropicHeader, anthropicValue),
                hint(parseGoDuration(openAiValue), openAiHeader, openAiValue)};
            for (Hint reset : resets) {
                if (reset == null) {
                    continue;
                }
                any = max(any, reset);
                if ("0".equals(header.apply("anthropic-ratelimit-" + limit + "-remaining"))
                        || "0".equals(header.apply("x-ratelimit-remaining-" + limit))) {
                    exhausted = max(exhausted, reset);
                }
            }
        }
        return exhausted != null ? exhausted : any;
    }

    /**
     * A wait an upstream asked for.
     *
     * @param delay how long
     * @param said the header and its value, e.g. {@code Retry-After 30s} or {@code x-ratelimit-reset-requests 2s}
     */
    public record Hint(Duration delay, String said) {
    }

    /** Google's {@code RetryInfo.retryDelay}, a protobuf Duration in JSON ({@code "17s"}, {@code "1.5s"}). */
    static Hint retryInfo(String body) {
        if (body == null || !body.contains(RETRY_DELAY)) {
            return null;
        }
        Matcher m = RETRY_DELAY_VALUE.matcher(body);
        if (!m.find()) {
            return null;
        }
        Duration delay = Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000));
        return new Hint(delay, "retryDelay " + m.group(1) + "s");
    }

    private static Hint hint(Duration wait, String header, String value) {
        return wait == null ? null : new Hint(wait, header + " " + value.trim());
    }

    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (DELAY_SECONDS.matcher(v).matches()) {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return nonNegative(Duration.between(now, at));
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    static Duration parseInstant(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return nonNegative(Duration.between(now, java.time.OffsetDateTime.parse(value.trim()).toInstant()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Duration parseGoDuration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = GO_DURATION.matcher(value.trim());
        long millis = 0;
        int end = 0;
        boolean matched = false;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double amount = Double.parseDouble(m.group(1));
            millis += (long) switch (m.group(2)) {
                case "h" -> amount * 3_600_000;
                case "m" -> amount * 60_000;
                case "s" -> amount * 1_000;
                default -> amount;
            };
            end = m.end();
            matched = true;
        }
        return matched && end == value.trim().length() ? Duration.ofMillis(millis) : null;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Hint max(Hint a, Hint b) {
        return a == null || b.delay().compareTo(a.delay()) > 0 ? b : a;
    }
}
