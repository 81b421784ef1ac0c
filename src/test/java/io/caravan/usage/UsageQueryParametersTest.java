package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageQueryParametersTest {

    private static final long NOW = Instant.parse("2026-12-01T17:42:10.500Z").toEpochMilli();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void withoutParametersTodayUpToNowUngrouped() {
        UsageQuery query = UsageQueryParameters.parse(Map.of(), NOW);
        assertEquals(new UsageQuery(at("2026-12-01T00:00:00Z"), NOW, null, null, null, Set.of(), null), query);
    }

    @Test
    void instantsDatesFiltersAndGroups() {
        UsageQuery query = UsageQueryParameters.parse(Map.of("from", "2026-11-01", "to", "2026-11-30T10:00:00Z",
                "client", "alice", "model", "gpt-4o", "credential", "cred-a", "group_by", "client, MODEL,credential,day"),
                NOW);
        assertEquals(new UsageQuery(at("2026-11-01T00:00:00Z"), at("2026-11-30T10:00:00Z"), "alice", "gpt-4o",
                "cred-a", EnumSet.allOf(UsageGroup.class), TimeBucket.DAY), query);
        assertEquals(TimeBucket.HOUR, UsageQueryParameters.parse(Map.of("group_by", "hour"), NOW).bucket());
        assertEquals(TimeBucket.MINUTE, UsageQueryParameters.parse(Map.of("group_by", "Minute,client"), NOW).bucket());
    }

    @Test
    void emptyValuesCountAsNotGiven() {
        UsageQuery query = UsageQueryParameters.parse(Map.of("from", "", "to", " ", "client", "", "group_by", ""),
                NOW);
        assertEquals(at("2026-12-01T00:00:00Z"), query.fromMillis());
        assertEquals(NOW, query.toMillis());
        assertNull(query.client());
        assertTrue(query.groupBy().isEmpty());
    }

    @Test
    void badValuesNameTheirParameter() {
        assertBad("from", Map.of("from", "yesterday"), "ISO-8601");
        assertBad("to", Map.of("to", "2026-13-01"), "2026-12-01T10:00:00Z");
        assertBad("from", Map.of("from", "2026-12-02"), "before");
        assertBad("from", Map.of("from", "2026-11-30", "to", "2026-11-30"), "before");
        assertBad("group_by", Map.of("group_by", "client,week"), "client, model, credential, minute, hour, day");
        assertBad("group_by", Map.of("group_by", "hour,day"), "not both hour and day");
        assertBad("group_by", Map.of("group_by", "minute,hour"), "not both minute and hour");
        assertBad("group_by", Map.of("group_by", "client,,model"), "got ''");
        assertBad("limit", Map.of("limit", "10"), "from, to, client, model, credential and group_by");
    }

    private static void assertBad(String parameter, Map<String, String> params, String hint) {
        BadUsageParameter bad = assertThrows(BadUsageParameter.class, () -> UsageQueryParameters.parse(params, NOW));
        assertEquals(parameter, bad.parameterName());
        assertTrue(bad.getMessage().contains("'" + parameter + "'"), bad.getMessage());
        assertTrue(bad.getMessage().contains(hint), bad.getMessage());
    }
}
