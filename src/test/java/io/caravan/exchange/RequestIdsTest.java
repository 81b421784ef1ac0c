package io.caravan.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private static final Pattern FORMAT = Pattern.compile("req_[0-9a-f]{24}");

    @Test
    void idsAreReqAndTwentyFourHexDigits() {
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.next();
            assertTrue(FORMAT.matcher(id).matches(), id);
        }
    }

    @Test
    void everyDigitPositionTakesEveryHexDigit() {
        // A fixed position (the old ids had ffffffff from a sign extension, and a leading bit always set) shows up as
        // a position that never leaves a few values. 4000 ids miss a digit at a random position with odds ~1e-110.
        @SuppressWarnings("unchecked")
        Set<Character>[] seen = new Set[RequestIds.DIGITS];
        for (int p = 0; p < seen.length; p++) {
            seen[p] = new HashSet<>();
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            String id = RequestIds.next();
            ids.add(id);
            for (int p = 0; p < RequestIds.DIGITS; p++) {
                seen[p].add(id.charAt(RequestIds.PREFIX.length() + p));
            }
        }
        for (int p = 0; p < seen.length; p++) {
            assertEquals(16, seen[p].size(), "hex digits seen at position " + p + ": " + seen[p]);
        }
        assertEquals(4000, ids.size(), "no id repeats");
    }
}
