package io.caravan.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void plainValuesAreKeptAsTheyAre() {
        String model = "claude-3-5-sonnet-20241022";
        assertSame(model, LogSafe.text(model));
        assertEquals("-", LogSafe.text(null));
        assertEquals("gpt-4o/ünïcode", LogSafe.text("gpt-4o/ünïcode"));
    }

    @Test
    void lineBreaksControlCharactersSpacesAndBackslashesAreEscaped() {
        assertEquals("a\\r\\nb", LogSafe.text("a\r\nb"));
        assertEquals("a\\0b\\tc\\x1bd\\x7fe\\x85f", LogSafe.text("a\0b\tc\u001bd\u007fe\u0085f"));
        assertEquals("a\\x20status=200", LogSafe.text("a status=200"));
        assertEquals("a\\\\r", LogSafe.text("a\\r"));
        assertEquals("a\\u2028b\\u2029c", LogSafe.text("a\u2028b\u2029c"));
    }

    @Test
    void longValuesAreCutWithAMarkThatSaysHowMuchIsMissing() {
        String value = "x".repeat(LogSafe.MAX_CHARS + 50);
        assertEquals("x".repeat(LogSafe.MAX_CHARS) + "…[+50 chars]", LogSafe.text(value));
        StringBuilder out = new StringBuilder();
        LogSafe.append(out, "\n".repeat(300));
        assertEquals("\\n".repeat(LogSafe.MAX_CHARS) + "…[+100 chars]", out.toString());
    }
}
