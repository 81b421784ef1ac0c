package io.caravan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The single-scenario modes as bench/run.sh passes them. */
class BenchOptionsTest {
    private static final String[] REQUIRED = {"--bench-dir", "b", "--repo-dir", "r", "--work-dir", "w",
            "--pids-file", "p", "--upstream-bin", "u", "--soak-minutes", "10"};

    @Test
    void geminiOnlyRunsThePathComparisonAloneWithoutSoak() {
        BenchOptions options = parse("--gemini-only");

        assertTrue(options.geminiOnly());
        assertTrue(options.oneScenario());
        assertTrue(options.comparisonOnly(), "the scenario warms its own paths");
        assertFalse(options.fullRun());
        assertEquals("gemini", options.modeName());
        assertEquals(0, options.soakMinutes());
    }

    @Test
    void aFullRunIsNoneOfTheSingleModes() {
        BenchOptions options = parse();

        assertTrue(options.fullRun());
        assertFalse(options.geminiOnly());
        assertFalse(options.comparisonOnly());
        assertEquals("full", options.modeName());
        assertEquals(10, options.soakMinutes());
        assertTrue(parse("--responses-only").comparisonOnly());
        assertFalse(parse("--metering-only").comparisonOnly());
    }

    private static BenchOptions parse(String... mode) {
        String[] args = new String[REQUIRED.length + mode.length];
        System.arraycopy(mode, 0, args, 0, mode.length);
        System.arraycopy(REQUIRED, 0, args, mode.length, REQUIRED.length);
        return BenchOptions.parse(args);
    }
}
