package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    @Test
    void jsonUsesTheFilesNamesAndRoundTrips() {
        ClientLimits limits = new ClientLimits(60, 100_000L, 4, 5_000_000L, BudgetPeriod.MONTH);
        String json = limits.toJson();
        assertEquals("{\"requests-per-minute\":60,\"tokens-per-minute\":100000,\"max-concurrent\":4,"
                + "\"budget\":{\"tokens\":5000000,\"per\":\"month\"}}", json);
        assertEquals(limits, ClientLimits.fromJson(json));
    }

    @Test
    void absentLimitsAreLeftOut() {
        assertEquals("{}", ClientLimits.NONE.toJson());
        assertEquals(ClientLimits.NONE, ClientLimits.fromJson("{}"));
        assertEquals(ClientLimits.NONE, ClientLimits.fromJson("null"));
        ClientLimits some = new ClientLimits(null, 500L, null, null, null);
        assertEquals("{\"tokens-per-minute\":500}", some.toJson());
        assertEquals(some, ClientLimits.fromJson(some.toJson()));
        ClientLimits daily = new ClientLimits(null, null, null, 10L, BudgetPeriod.DAY);
        assertEquals(daily, ClientLimits.fromJson(daily.toJson()));
    }

    @Test
    void badJsonIsRefusedNamingTheField() {
        assertMessage("{\"requests-per-hour\":5}", "unknown field 'requests-per-hour'");
        assertMessage("{\"max-concurrent\":0}", "'max-concurrent' must be at least 1");
        assertMessage("{\"tokens-per-minute\":1.5}", "'tokens-per-minute' must be a whole number");
        assertMessage("{\"requests-per-minute\":\"60\"}", "'requests-per-minute' must be a whole number");
        assertMessage("{\"requests-per-minute\":3000000000}", "'requests-per-minute' must be at most");
        assertMessage("{\"budget\":{\"tokens\":5}}", "'budget.per'");
        assertMessage("{\"budget\":{\"per\":\"day\"}}", "'budget.tokens' is missing");
        assertMessage("{\"budget\":{\"tokens\":5,\"per\":\"year\"}}", "not 'year'");
        assertMessage("{\"budget\":5}", "'budget' must be an object");
        assertMessage("[1]", "limits must be a JSON object");
        assertMessage("{", "not valid JSON");
    }

    @Test
    void limitsArePositiveAndABudgetComesWhole() {
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(0, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(null, -1L, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(null, null, null, 5L, null));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(null, null, null, null, BudgetPeriod.DAY));
        assertTrue(ClientLimits.NONE.isNone());
        assertFalse(new ClientLimits(null, null, 1, null, null).isNone());
    }

    private static void assertMessage(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientLimits.fromJson(json));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
