package io.caravan.clients;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The calendar period a token budget covers, in UTC so that every gateway instance agrees on its start. */
public enum BudgetPeriod {
    DAY("day"),
    MONTH("month");

    static final long DAY_MILLIS = 86_400_000L;

    private final String id;

    BudgetPeriod(String id) {
        this.id = id;
    }

    /** The name in the clients file and in JSON: {@code day} or {@code month}. */
    public String id() {
        return id;
    }

    public static BudgetPeriod fromId(String id) {
        for (BudgetPeriod period : values()) {
            if (period.id.equals(id.toLowerCase(Locale.ROOT))) {
                return period;
            }
        }
        throw new IllegalArgumentException("a budget period is 'day' or 'month', not '" + id + "'");
    }

    /** When the period holding {@code nowMillis} started (UTC midnight, or the first of the month). */
    public long startMillis(long nowMillis) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MILLIS));
        LocalDate start = this == DAY ? today : today.withDayOfMonth(1);
        return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** When the next period starts: where a spent budget is whole again. */
    public long nextStartMillis(long nowMillis) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MILLIS));
        LocalDate next = this == DAY ? today.plusDays(1) : today.withDayOfMonth(1).plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The UTC day number of an instant (days since 1970-01-01). */
    static long epochDay(long nowMillis) {
        return Math.floorDiv(nowMillis, DAY_MILLIS);
    }

    /** The UTC month of a day number as one number (year * 12 + month - 1), to tell months apart cheaply. */
    static long epochMonth(long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        return date.getYear() * 12L + date.getMonthValue() - 1;
    }
}
