package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    /** The values Go's time.Duration.String() gives for these durations (what OpenAI's reset headers carry). */
    @Test
    void durationsAreWrittenAsGoWritesThem() {
        assertEquals("0s", RateLimitHeaders.duration(0));
        assertEquals("0s", RateLimitHeaders.duration(-5));
        assertEquals("1ms", RateLimitHeaders.duration(1));
        assertEquals("20ms", RateLimitHeaders.duration(20));
        assertEquals("999ms", RateLimitHeaders.duration(999));
        assertEquals("1s", RateLimitHeaders.duration(1000));
        assertEquals("1.5s", RateLimitHeaders.duration(1500));
        assertEquals("1.001s", RateLimitHeaders.duration(1001));
        assertEquals("1.05s", RateLimitHeaders.duration(1050));
        assertEquals("59.5s", RateLimitHeaders.duration(59_500));
        assertEquals("1m0s", RateLimitHeaders.duration(60_000));
        assertEquals("6m0s", RateLimitHeaders.duration(360_000));
        assertEquals("1m30.25s", RateLimitHeaders.duration(90_250));
        assertEquals("1h0m0s", RateLimitHeaders.duration(3_600_000));
        assertEquals("26h3m4.5s", RateLimitHeaders.duration(26 * 3_600_000L + 3 * 60_000 + 4_500));
    }
}
