package io.caravan.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a usage query from request parameters ({@code GET /admin/v1/usage?...}): {@code from} and {@code to} (an
 * ISO-8601 instant such as {@code 2026-12-01T10:00:00Z}, or a date meaning the start of that UTC day; by default
 * from the start of today, UTC, to now), {@code client}, {@code model}, {@code credential} (exact names), and
 * {@code group_by} (a comma list of {@code client}, {@code model}, {@code credential} and one of {@code minute},
 * {@code hour} or {@code day}; minutes are kept {@code caravan.store.minute-retention-days}). An empty value counts
 * as not given.
 */
public final class UsageQueryParameters {

    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String CLIENT = "client";
    public static final String MODEL = "model";
    public static final String CREDENTIAL = "credential";
    public static final String GROUP_BY = "group_by";
    private static final Set<String> NAMES = Set.of(FROM, TO, CLIENT, MODEL, CREDENTIAL, GROUP_BY);
    private static final String GROUPS = "client, model, credential, minute, hour, day";

    private UsageQueryParameters() {
    }

    /** @throws BadUsageParameter naming the first parameter that cannot be used */
    public static UsageQuery parse(Map<String, String> params, long nowMillis) {
        for (String name : params.keySet()) {
            if (!NAMES.contains(name)) {
                throw new BadUsageParameter(name, "unknown parameter '" + shown(name) + "'; the parameters are from, to, "
                        + "client, model, credential and group_by");
            }
        }
        long from = instant(params, FROM, TimeBucket.DAY.floor(nowMillis));
        long to = instant(params, TO, nowMillis);
        if (from >= to) {
            throw new BadUsageParameter(FROM, "'from' must be before 'to'");
        }
        Set<UsageGroup> groups = EnumSet.noneOf(UsageGroup.class);
        TimeBucket bucket = null;
        String groupBy = given(params, GROUP_BY);
        if (groupBy != null) {
            for (String part : groupBy.split(",", -1)) {
                String group = part.strip().toLowerCase(Locale.ROOT);
                switch (group) {
                    case "client" -> groups.add(UsageGroup.CLIENT);
                    case "model" -> groups.add(UsageGroup.MODEL);
                    case "credential" -> groups.add(UsageGroup.CREDENTIAL);
                    case "minute", "hour", "day" -> {
                        TimeBucket chosen = TimeBucket.valueOf(group.toUpperCase(Locale.ROOT));
                        if (bucket != null && bucket != chosen) {
                            throw new BadUsageParameter(GROUP_BY, "'group_by' takes one of minute, hour or day, "
                                    + "not both " + bucket.name().toLowerCase(Locale.ROOT) + " and " + group);
                        }
                        bucket = chosen;
                    }
                    default -> throw new BadUsageParameter(GROUP_BY, "'group_by' takes a comma list of " + GROUPS
                            + " (one of minute, hour or day); got '" + shown(part) + "'");
                }
            }
        }
        return new UsageQuery(from, to, given(params, CLIENT), given(params, MODEL), given(params, CREDENTIAL),
                groups, bucket);
    }

    private static long instant(Map<String, String> params, String name, long byDefault) {
        String value = given(params, name);
        if (value == null) {
            return byDefault;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException notADate) {
                throw new BadUsageParameter(name, "'" + name + "' takes an ISO-8601 instant such as "
                        + "2026-12-01T10:00:00Z or a date such as 2026-12-01 (UTC); got '" + shown(value) + "'");
            }
        }
    }

    private static String given(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A caller's value quoted back in a message: short, one line. */
    private static String shown(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 64 ? line : line.substring(0, 64) + "...";
    }
}
