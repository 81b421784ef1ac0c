package io.caravan.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranslationSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(new TranslationSettings(4096, 1024, 4096, 16384), ShippedSettings.translation());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"none, 0", "minimal, 1024", "low, 1024", "medium, 4096", "high, 16384", "xhigh, 16384",
            "something-new, 4096"})
    void eachReasoningEffortHasABudget(String effort, int budget) {
        assertEquals(budget, ShippedSettings.translation().thinkingBudget(effort));
    }

    @Test
    void noReasoningEffortMeansNoThinking() {
        assertEquals(0, ShippedSettings.translation().thinkingBudget(null));
    }

    @Test
    void aLowBudgetUnderAnthropicsMinimumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TranslationSettings(4096, 1000, 4096, 16384));
    }

    @Test
    void budgetsMustNotDecrease() {
        assertThrows(IllegalArgumentException.class, () -> new TranslationSettings(4096, 2048, 1500, 16384));
        assertThrows(IllegalArgumentException.class, () -> new TranslationSettings(4096, 1024, 4096, 2048));
    }

    @Test
    void theDefaultMaxTokensMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new TranslationSettings(0, 1024, 4096, 16384));
    }
}
