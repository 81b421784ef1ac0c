package io.caravan.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Where a request names its session: headers first, in order, then body fields, in order; always per client. */
class SessionKeySourceTest {

    private final SessionKeySource source = new SessionKeySource(List.of("X-Session-Id", "session_id"),
            List.of("metadata.user_id", "prompt_cache_key"));

    private static Function<String, String> headers(Map<String, String> values) {
        // Header names are looked up in lower case, as HTTP's are case-insensitive.
        return name -> values.get(name.toLowerCase(Locale.ROOT));
    }

    private static final Function<String, String> NO_HEADERS = name -> null;

    @Test
    void theFirstConfiguredHeaderPresentNamesTheSession() {
        SessionKey both = source.keyOf("c", headers(Map.of("x-session-id", "first", "session_id", "second")), Map.of());
        assertEquals(SessionKey.of("c", "first"), both);
        assertEquals(SessionKey.of("c", "second"), source.keyOf("c", headers(Map.of("session_id", "second")), Map.of()));
        assertEquals(SessionKey.of("c", "second"),
                source.keyOf("c", headers(Map.of("x-session-id", "  ", "session_id", "second")), Map.of()),
                "a blank header names nothing");
    }

    @Test
    void aHeaderBeatsTheBody() {
        Map<String, Object> body = Map.of("prompt_cache_key", "from-body");
        assertEquals(SessionKey.of("c", "from-header"),
                source.keyOf("c", headers(Map.of("session_id", "from-header")), body));
        assertEquals(SessionKey.of("c", "from-body"), source.keyOf("c", NO_HEADERS, body));
    }

    @Test
    void bodyFieldsAreDottedPathsToStrings() {
        assertEquals(SessionKey.of("c", "user-1"),
                source.keyOf("c", NO_HEADERS, Map.of("metadata", Map.of("user_id", "user-1"), "prompt_cache_key", "p")));
        assertEquals(SessionKey.of("c", "p"),
                source.keyOf("c", NO_HEADERS, Map.of("metadata", Map.of("user_id", 42), "prompt_cache_key", "p")),
                "a number is no session");
        assertNull(source.keyOf("c", NO_HEADERS, Map.of("metadata", "user_id")), "a path through a string");
        assertNull(source.keyOf("c", NO_HEADERS, Map.of("prompt_cache_key", "")));
        assertNull(source.keyOf("c", NO_HEADERS, Map.of()));
    }

    @Test
    void twoClientsNeverShareASession() {
        Function<String, String> same = headers(Map.of("x-session-id", "shared"));
        assertNotEquals(source.keyOf("client-1", same, Map.of()), source.keyOf("client-2", same, Map.of()));
        assertEquals(source.keyOf("client-1", same, Map.of()), source.keyOf("client-1", same, Map.of()));
        // The separator keeps a client name that ends like another's session from joining it.
        assertNotEquals(SessionKey.of("ab", "c"), SessionKey.of("a", "bc"));
    }

    @Test
    void aLongSessionIsKeptAsItsDigestAndNeverShown() {
        String longId = "x".repeat(SessionKeySource.MAX_KEPT_LENGTH + 1);
        SessionKey key = source.keyOf("c", headers(Map.of("x-session-id", longId)), Map.of());
        assertEquals(SessionKey.of("c", SessionKey.sha256Hex(longId)), key);
        assertNotEquals(key, source.keyOf("c", headers(Map.of("x-session-id", longId + "y")), Map.of()));
        String shown = SessionKey.of("c", "secret-session-7").toString();
        assertFalse(shown.contains("secret-session-7"), shown);
        assertTrue(shown.startsWith("SessionKey[sha256:"), shown);
    }

    @Test
    void noSourcesNameNoSession() {
        assertNull(SessionKeySource.NONE.keyOf("c", headers(Map.of("x-session-id", "s")), Map.of("user", "u")));
    }

    @Test
    void aBadSourceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionKeySource(List.of(" "), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SessionKeySource(List.of(), List.of("metadata..id")));
    }
}
