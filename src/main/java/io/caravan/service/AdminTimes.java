package io.caravan.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times in the admin API: ISO-8601 UTC instants, always with milliseconds, which a dashboard parses as they are. */
final class AdminTimes {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AdminTimes() {
    }

    /** The instant as text, or {@code null} for none. */
    static String format(Instant at) {
        return at == null ? null : FORMAT.format(at);
    }
}
