package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CooldownPolicyTest {

    private final CooldownPolicy policy = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void aHintIsUsedAsGiven() {
        assertEquals(Duration.ofSeconds(5), policy.rateLimited(Duration.ofSeconds(5), 1));
        assertEquals(Duration.ofMillis(250), policy.rateLimited(Duration.ofMillis(250), 1));
    }

    @Test
    void aHintDoesNotGrowWithConsecutiveRateLimits() {
        assertEquals(Duration.ofSeconds(5), policy.rateLimited(Duration.ofSeconds(5), 6));
    }

    @Test
    void aHintIsCappedAtTheMaximum() {
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(Duration.ofSeconds(61), 1));
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(Duration.ofDays(3), 1));
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(Duration.ofMinutes(1), 1));
    }

    @Test
    void withoutAHintTheBackoffDoublesPerConsecutiveRateLimit() {
        assertEquals(Duration.ofSeconds(1), policy.rateLimited(null, 1));
        assertEquals(Duration.ofSeconds(2), policy.rateLimited(null, 2));
        assertEquals(Duration.ofSeconds(4), policy.rateLimited(null, 3));
        assertEquals(Duration.ofSeconds(8), policy.rateLimited(null, 4));
        assertEquals(Duration.ofSeconds(16), policy.rateLimited(null, 5));
        assertEquals(Duration.ofSeconds(32), policy.rateLimited(null, 6));
    }

    @Test
    void theBackoffIsCappedAtTheMaximum() {
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(null, 7));
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(null, 64));
        assertEquals(Duration.ofMinutes(1), policy.rateLimited(null, Integer.MAX_VALUE));
    }

    @Test
    void aZeroOrNegativeHintCountsAsNoHint() {
        assertEquals(Duration.ofSeconds(4), policy.rateLimited(Duration.ZERO, 3));
        assertEquals(Duration.ofSeconds(2), policy.rateLimited(Duration.ofSeconds(-3), 2));
    }

    @Test
    void aCountBelowOneIsTreatedAsTheFirst() {
        assertEquals(Duration.ofSeconds(1), policy.rateLimited(null, 0));
        assertEquals(Duration.ofSeconds(1), policy.rateLimited(null, -5));
    }

    @Test
    void aLargeBaseDoesNotOverflowBeforeTheCap() {
        CooldownPolicy big = new CooldownPolicy(
                Duration.ofSeconds(1), Duration.ofDays(365), Duration.ofDays(400), Duration.ofHours(1));
        assertEquals(Duration.ofDays(400), big.rateLimited(null, 1000));
    }

    @Test
    void theOtherCooldownsAreKeptAsConfigured() {
        assertEquals(Duration.ofSeconds(10), policy.transientFailure());
        assertEquals(Duration.ofHours(1), policy.quarantine());
    }
}
