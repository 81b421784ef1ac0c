package io.caravan.support;

/**
 * Makes a caller-supplied value safe to put in a log line: it can neither start a line of its own nor pass for
 * another field of the line, and it is never longer than a log reader needs.
 *
 * <p>Backslashes, spaces, control characters (CR, LF, NUL and the rest of C0 and C1, DEL) and the Unicode line and
 * paragraph separators are written as escapes ({@code \\}, {@code \x20}, {@code \r}, {@code \n}, {@code \t},
 * {@code \0}, {@code \xNN}, {@code \}{@code uNNNN}), so the value stays one whitespace-free token that reads back
 * unambiguously. Values longer than {@value #MAX_CHARS} characters are cut there and marked with
 * {@code …[+N chars]}.
 */
public final class LogSafe {

    /** Characters of a value kept; a model name or path longer than this tells a log reader nothing more. */
    public static final int MAX_CHARS = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogSafe() {
    }

    /** The value escaped and truncated; {@code -} for {@code null}. */
    public static String text(String value) {
        if (value == null) {
            return "-";
        }
        if (value.length() <= MAX_CHARS && isPlain(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 32);
        append(out, value);
        return out.toString();
    }

    /** Appends the value escaped and truncated ({@code -} for {@code null}), without an intermediate string. */
    public static void append(StringBuilder out, String value) {
        if (value == null) {
            out.append('-');
            return;
        }
        int kept = Math.min(value.length(), MAX_CHARS);
        for (int i = 0; i < kept; i++) {
            char c = value.charAt(i);
            if (plain(c)) {
                out.append(c);
            } else {
                escape(out, c);
            }
        }
        if (kept < value.length()) {
            out.append("…[+").append(value.length() - kept).append(" chars]");
        }
    }

    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!plain(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean plain(char c) {
        return c > ' ' && c != '\\' && c != 0x7f && (c < 0x80 || c > 0x9f) && c != '\u2028' && c != '\u2029';
    }

    private static void escape(StringBuilder out, char c) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\r' -> out.append("\\r");
            case '\n' -> out.append("\\n");
            case '\t' -> out.append("\\t");
            case '\0' -> out.append("\\0");
            default -> {
                if (c <= 0xff) {
                    out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                }
            }
        }
    }
}
