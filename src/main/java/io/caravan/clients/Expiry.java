package io.caravan.clients;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** When a key expires, as the clients file and the admin API write it: a date (its start in UTC) or a time. */
public final class Expiry {

    private static final int DATE_LENGTH = "2027-01-01".length();

    private Expiry() {
    }

    /** @throws IllegalArgumentException naming the forms allowed */
    public static Instant parse(String text) {
        try {
            if (text.length() == DATE_LENGTH) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'expires' must be a date (2027-01-01, its start in UTC) or a time "
                    + "with its offset (2027-01-01T00:00:00Z), got '" + text + "'");
        }
    }
}
