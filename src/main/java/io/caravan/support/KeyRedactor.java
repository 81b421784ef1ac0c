package io.caravan.support;

import java.util.HashSet;
import java.util.Set;

/**
 * Masks one credential's key in text an upstream sent, before a caller sees it: the whole key, and any run of at
 * least {@value #MIN_FRAGMENT} consecutive characters of it (providers quote a key's prefix or suffix in their
 * errors, and a long enough fragment narrows a key down). A key shorter than that is masked only whole.
 *
 * <p>Linear in the text: the key's {@value #MIN_FRAGMENT}-character windows are hashed once, and the text is scanned
 * once, skipping ahead past characters that do not occur in the key at all.
 */
public final class KeyRedactor {

    /** The shortest run of a key's characters that counts as a leak of it. */
    public static final int MIN_FRAGMENT = 8;
    /** What replaces each masked run; safe inside a JSON string. */
    public static final String MARK = "[redacted]";
    private static final KeyRedactor NONE = new KeyRedactor("");

    private final String key;
    private final Set<String> windows = new HashSet<>();
    /** Which characters occur in the key (ASCII; any other character is checked the slow way). */
    private final boolean[] keyChars = new boolean[128];
    private boolean keyHasNonAscii;

    private KeyRedactor(String key) {
        this.key = key;
        for (int i = 0; i + MIN_FRAGMENT <= key.length(); i++) {
            windows.add(key.substring(i, i + MIN_FRAGMENT));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 128) {
                keyChars[c] = true;
            } else {
                keyHasNonAscii = true;
            }
        }
    }

    /** A redactor for the key; one that changes nothing for a missing or empty key. */
    public static KeyRedactor of(String key) {
        return key == null || key.isEmpty() ? NONE : new KeyRedactor(key);
    }

    /** The text with every occurrence of the key, or of a long enough part of it, replaced by {@link #MARK}. */
    public String redact(String text) {
        if (text == null || key.isEmpty() || text.isEmpty()) {
            return text;
        }
        return key.length() < MIN_FRAGMENT ? redactWhole(text) : redactFragments(text);
    }

    private String redactWhole(String text) {
        return text.contains(key) ? text.replace(key, MARK) : text;
    }

    private String redactFragments(String text) {
        StringBuilder out = null;
        int copied = 0;      // text before this index is already in out
        int maskedUntil = -1; // end of the masked run being built, or -1
        int maskedFrom = -1;
        int i = 0;
        int last = text.length() - MIN_FRAGMENT;
        while (i <= last) {
            if (!inKey(text.charAt(i + MIN_FRAGMENT - 1))) {
                // No window that contains this character can be part of the key.
                i += MIN_FRAGMENT;
                continue;
            }
            if (windows.contains(text.substring(i, i + MIN_FRAGMENT))) {
                if (maskedUntil >= i) {
                    maskedUntil = i + MIN_FRAGMENT;
                } else {
                    if (maskedUntil >= 0) {
                        out = appendMasked(out, text, copied, maskedFrom);
                        copied = maskedUntil;
                    }
                    maskedFrom = i;
                    maskedUntil = i + MIN_FRAGMENT;
                }
            }
            i++;
        }
        if (maskedUntil < 0) {
            return text;
        }
        out = appendMasked(out, text, copied, maskedFrom);
        return out.append(text, maskedUntil, text.length()).toString();
    }

    private static StringBuilder appendMasked(StringBuilder out, String text, int copied, int maskedFrom) {
        StringBuilder target = out != null ? out : new StringBuilder(text.length());
        return target.append(text, copied, maskedFrom).append(MARK);
    }

    private boolean inKey(char c) {
        return c < 128 ? keyChars[c] : keyHasNonAscii;
    }
}
