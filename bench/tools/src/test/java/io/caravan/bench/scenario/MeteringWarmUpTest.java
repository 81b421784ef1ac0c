package io.caravan.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a metering round's warm-up stops: the JIT's share of the gateway's CPU in the last slice decides. */
class MeteringWarmUpTest {

    @Test
    void notBeforeTheMinimumEvenWithTheJitQuiet() {
        assertFalse(MeteringScenario.warmEnough(6, 0.01, 8, 30));
    }

    @Test
    void pastTheMinimumOnceTheJitIsBelowItsShare() {
        assertTrue(MeteringScenario.warmEnough(9, 0.09, 8, 30));
        assertFalse(MeteringScenario.warmEnough(9, MeteringScenario.JIT_SETTLED_SHARE, 8, 30));
        assertFalse(MeteringScenario.warmEnough(21, 0.3, 8, 30));
    }

    @Test
    void atTheMaximumWhateverTheJitDoes() {
        assertTrue(MeteringScenario.warmEnough(30, 0.4, 8, 30));
    }

    @Test
    void anUnknownShareIsNotSettled() {
        assertFalse(MeteringScenario.warmEnough(0, Double.NaN, 0, 30));
        assertFalse(MeteringScenario.warmEnough(12, Double.NaN, 8, 30));
    }
}
