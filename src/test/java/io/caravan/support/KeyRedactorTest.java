package io.caravan.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class KeyRedactorTest {

    private static final String KEY = "sk-live-0123456789abcdefGHIJ";
    private final KeyRedactor redactor = KeyRedactor.of(KEY);

    @Test
    void theWholeKeyAndEveryRunOfEightOrMoreOfItsCharactersAreMasked() {
        assertEquals("key [redacted] rejected", redactor.redact("key " + KEY + " rejected"));
        assertEquals("starts [redacted], ends [redacted]", redactor.redact("starts sk-live-0123, ends 9abcdefGHIJ"));
        assertEquals("mid [redacted]!", redactor.redact("mid 23456789!"));
        // Two fragments that touch or overlap are one masked run.
        assertEquals("[redacted]", redactor.redact("sk-live-0123sk-live-0123"));
        assertEquals("x[redacted]y[redacted]z", redactor.redact("x" + KEY + "y" + KEY + "z"));
    }

    @Test
    void shorterRunsAndUnrelatedTextAreLeftAlone() {
        String text = "sk-live-01 is 10 characters, 2345678 is 7 of the key, nothing else here";
        assertEquals("[redacted] is 10 characters, 2345678 is 7 of the key, nothing else here", redactor.redact(text));
        String unrelated = "{\"error\":{\"message\":\"The model does not exist\"}}";
        assertSame(unrelated, redactor.redact(unrelated));
    }

    @Test
    void aKeyShorterThanAFragmentIsMaskedOnlyWhole() {
        KeyRedactor shortKey = KeyRedactor.of("abc12");
        assertEquals("key [redacted] and abc1", shortKey.redact("key abc12 and abc1"));
        assertEquals("anything", KeyRedactor.of(null).redact("anything"));
        assertEquals("anything", KeyRedactor.of("").redact("anything"));
    }

    @Test
    void aLongTextIsScannedInOnePass() {
        String filler = "the quick brown fox jumps over the lazy dog ".repeat(20_000);
        String text = filler + KEY + filler;
        assertEquals(filler + "[redacted]" + filler, redactor.redact(text));
    }
}
