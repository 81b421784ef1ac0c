package io.caravan.usage;

/**
 * Text as the tables keep it. Names come from callers (a requested model), so they are made safe for every
 * database: PostgreSQL refuses NUL characters in text, and an index entry has a size limit, so a key column keeps
 * at most {@value #MAX_KEY_CHARS} characters. Without this one odd request would fail its whole batch, again and
 * again.
 */
final class StoredText {

    static final int MAX_KEY_CHARS = 256;
    static final int MAX_TEXT_CHARS = 2048;

    private StoredText() {
    }

    static String key(String value) {
        return cut(value, MAX_KEY_CHARS);
    }

    static String text(String value) {
        return value == null ? null : cut(value, MAX_TEXT_CHARS);
    }

    private static String cut(String value, int max) {
        String clean = value.indexOf('\0') >= 0 ? value.replace("\0", "") : value;
        if (clean.length() <= max) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(max - 1)) ? max - 1 : max;
        return clean.substring(0, end);
    }
}
