package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitHintsTest {

    /** Wednesday, 1 January 2025, 12:00:00 UTC. */
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private static Duration hint(String... namesAndValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return RateLimitHints.retryAfter(headers::get, NOW);
    }

    @Test
    void noHeadersMeanNoHint() {
        assertNull(hint());
        assertNull(hint("content-type", "application/json", "x-ratelimit-remaining-requests", "0"));
    }

    // ---------------------------------------------------------------- retry-after

    @Test
    void retryAfterInWholeSeconds() {
        assertEquals(Duration.ofSeconds(30), hint("retry-after", "30"));
        assertEquals(Duration.ofSeconds(7), hint("retry-after", " 7 "));
        assertEquals(Duration.ZERO, hint("retry-after", "0"));
    }

    @Test
    void retryAfterInFractionalSeconds() {
        assertEquals(Duration.ofMillis(1500), hint("retry-after", "1.5"));
        assertEquals(Duration.ofMillis(250), hint("retry-after", "0.25"));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        assertEquals(Duration.ofSeconds(45), hint("retry-after", "Wed, 01 Jan 2025 12:00:45 GMT"));
        assertEquals(Duration.ofMinutes(61), hint("retry-after", "Wed, 01 Jan 2025 13:01:00 GMT"));
    }

    @Test
    void anHttpDateInThePastMeansNoWait() {
        assertEquals(Duration.ZERO, hint("retry-after", "Wed, 01 Jan 2025 11:59:00 GMT"));
    }

    @ParameterizedTest(name = "retry-after: \"{0}\"")
    @ValueSource(strings = {"-5", "-0.5", "soon", "12abc", "", "   ", "Wed, 32 Jan 2025 12:00:00 GMT"})
    void aNegativeOrUnreadableRetryAfterIsIgnored(String value) {
        assertNull(hint("retry-after", value));
    }

    @ParameterizedTest(name = "retry-after: \"{0}\"")
    @ValueSource(strings = {"NaN", "Infinity", "0x1p4", "10d"})
    void javaNumberSpellingsThatAreNotDelaySecondsAreIgnored(String value) {
        // Retry-After is 1*DIGIT (or an HTTP-date); Double.parseDouble also accepts these Java spellings.
        assertNull(hint("retry-after", value));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheResetHeaders() {
        assertEquals(Duration.ofSeconds(2), hint("retry-after", "later", "x-ratelimit-reset-requests", "2s"));
    }

    @Test
    void retryAfterWinsOverProviderResetHeaders() {
        assertEquals(Duration.ofSeconds(3), hint(
                "retry-after", "3",
                "anthropic-ratelimit-requests-reset", "2025-01-01T12:01:00Z",
                "anthropic-ratelimit-requests-remaining", "0",
                "x-ratelimit-reset-tokens", "6m0s",
                "x-ratelimit-remaining-tokens", "0"));
    }

    // ---------------------------------------------------------------- Anthropic

    @Test
    void anthropicResetIsAnRfc3339Instant() {
        assertEquals(Duration.ofSeconds(20), hint("anthropic-ratelimit-requests-reset", "2025-01-01T12:00:20Z"));
        assertEquals(Duration.ofMillis(7500), hint("anthropic-ratelimit-tokens-reset", "2025-01-01T12:00:07.5Z"));
        assertEquals(Duration.ofSeconds(90), hint("anthropic-ratelimit-input-tokens-reset", "2025-01-01T13:01:30+01:00"));
        assertEquals(Duration.ofSeconds(5), hint("anthropic-ratelimit-output-tokens-reset", "2025-01-01T12:00:05Z"));
    }

    @Test
    void anAnthropicResetInThePastMeansNoWait() {
        assertEquals(Duration.ZERO, hint("anthropic-ratelimit-requests-reset", "2025-01-01T11:00:00Z"));
    }

    @Test
    void anUnreadableAnthropicResetIsIgnored() {
        assertNull(hint("anthropic-ratelimit-requests-reset", "tomorrow"));
        assertEquals(Duration.ofSeconds(4), hint(
                "anthropic-ratelimit-requests-reset", "tomorrow",
                "anthropic-ratelimit-tokens-reset", "2025-01-01T12:00:04Z"));
    }

    @Test
    void theExhaustedAnthropicLimitIsPreferredEvenWhenItResetsSooner() {
        assertEquals(Duration.ofSeconds(10), hint(
                "anthropic-ratelimit-requests-reset", "2025-01-01T12:00:50Z",
                "anthropic-ratelimit-requests-remaining", "12",
                "anthropic-ratelimit-tokens-reset", "2025-01-01T12:00:10Z",
                "anthropic-ratelimit-tokens-remaining", "0"));
    }

    @Test
    void withoutAnExhaustedLimitTheLongestAnthropicResetIsUsed() {
        assertEquals(Duration.ofSeconds(50), hint(
                "anthropic-ratelimit-requests-reset", "2025-01-01T12:00:50Z",
                "anthropic-ratelimit-requests-remaining", "12",
                "anthropic-ratelimit-tokens-reset", "2025-01-01T12:00:10Z",
                "anthropic-ratelimit-tokens-remaining", "400"));
    }

    @Test
    void amongSeveralExhaustedLimitsTheLongestResetIsUsed() {
        assertEquals(Duration.ofSeconds(30), hint(
                "anthropic-ratelimit-requests-reset", "2025-01-01T12:05:00Z",
                "anthropic-ratelimit-requests-remaining", "3",
                "anthropic-ratelimit-input-tokens-reset", "2025-01-01T12:00:30Z",
                "anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-output-tokens-reset", "2025-01-01T12:00:20Z",
                "anthropic-ratelimit-output-tokens-remaining", "0"));
    }

    // ---------------------------------------------------------------- OpenAI

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "1s, 1000",
        "6m0s, 360000",
        "250ms, 250",
        "1h2m3.5s, 3723500",
        "0.5s, 500",
        "20ms, 20",
        "2m, 120000",
        "1h, 3600000",
        "17.123s, 17123",
    })
    void openAiResetsAreGoDurations(String value, long millis) {
        assertEquals(Duration.ofMillis(millis), hint("x-ratelimit-reset-requests", value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"soon", "5", "5x", "1s garbage", "x1s", "1s-2s", "-1s"})
    void anUnreadableOpenAiResetIsIgnored(String value) {
        assertNull(hint("x-ratelimit-reset-requests", value));
    }

    @Test
    void theExhaustedOpenAiLimitIsPreferred() {
        assertEquals(Duration.ofSeconds(2), hint(
                "x-ratelimit-reset-requests", "30s",
                "x-ratelimit-remaining-requests", "99",
                "x-ratelimit-reset-tokens", "2s",
                "x-ratelimit-remaining-tokens", "0"));
    }

    @Test
    void withoutAnExhaustedOpenAiLimitTheLongestResetIsUsed() {
        assertEquals(Duration.ofSeconds(30), hint(
                "x-ratelimit-reset-requests", "30s",
                "x-ratelimit-remaining-requests", "99",
                "x-ratelimit-reset-tokens", "2s",
                "x-ratelimit-remaining-tokens", "1000"));
    }

    /** Gemini's 429 says how long to wait only in its body, as a RetryInfo detail. */
    private static final String GEMINI_429 = """
            {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
              "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "17s"}]}}""";

    @Test
    void geminisRetryDelayInTheBodyIsTheWait() {
        RateLimitHints.Hint hint = RateLimitHints.read(name -> null, GEMINI_429, NOW);

        assertEquals(Duration.ofSeconds(17), hint.delay());
        assertEquals("retryDelay 17s", hint.said());
    }

    @Test
    void aFractionalRetryDelayKeepsItsMilliseconds() {
        RateLimitHints.Hint hint = RateLimitHints.read(name -> null,
                "{\"error\":{\"details\":[{\"retryDelay\":\"1.25s\"}]}}", NOW);

        assertEquals(Duration.ofMillis(1250), hint.delay());
    }

    @Test
    void retryAfterWinsOverTheBodysRetryDelay() {
        Map<String, String> headers = Map.of("retry-after", "3");

        assertEquals(Duration.ofSeconds(3), RateLimitHints.read(headers::get, GEMINI_429, NOW).delay());
    }

    @Test
    void aBodyWithoutRetryDelayOrWithAMalformedOneGivesNoHint() {
        assertNull(RateLimitHints.read(name -> null, "{\"error\":{\"code\":429}}", NOW));
        assertNull(RateLimitHints.read(name -> null, "{\"retryDelay\": \"soon\"}", NOW));
        assertNull(RateLimitHints.read(name -> null, null, NOW));
    }
}
