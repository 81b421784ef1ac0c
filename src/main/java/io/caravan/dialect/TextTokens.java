package io.caravan.dialect;

/**
 * The tokens a piece of text is estimated at, for the local token counts of a model no credential of the caller's
 * dialect serves: one token per 4 characters below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic: English BPE
 * averages about 4 characters a token), one token per character above (CJK, emoji, which tokenise to about a token a
 * character), rounded up. Meant to err high rather than low: callers use the count to decide when to compact.
 */
public final class TextTokens {

    private static final int NARROW_CHARACTERS_PER_TOKEN = 4;
    /** Code points from here up are counted a token each. */
    private static final int FIRST_WIDE_CODE_POINT = 0x0800;

    private TextTokens() {
    }

    /** The estimated tokens of {@code text}; 0 for {@code null} or empty. */
    public static long estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long narrow = 0;
        long wide = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (codePoint < FIRST_WIDE_CODE_POINT) {
                narrow++;
            } else {
                wide++;
            }
            i += Character.charCount(codePoint);
        }
        return (narrow + NARROW_CHARACTERS_PER_TOKEN - 1) / NARROW_CHARACTERS_PER_TOKEN + wide;
    }
}
