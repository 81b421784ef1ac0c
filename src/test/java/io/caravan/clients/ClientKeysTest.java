package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientKeysTest {

    @Test
    void aNewKeyIsThePrefixAnd32RandomBytesInBase64Url() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = ClientKeys.generate();
            assertTrue(key.startsWith("cvn-"), key);
            assertEquals(47, key.length(), key);
            assertTrue(key.substring(4).matches("[A-Za-z0-9_-]{43}"), key);
            assertEquals(32, Base64.getUrlDecoder().decode(key.substring(4)).length);
            keys.add(key);
        }
        assertEquals(100, keys.size(), "every key differs");
    }

    @Test
    void theDigestIsSha256InLowerCaseHex() {
        // FIPS 180-2's test vector for "abc"
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ClientKeys.sha256Hex("abc"));
        assertEquals(32, ClientKeys.sha256("abc").length);
    }

    @Test
    void aDigestIs64HexDigits() {
        assertTrue(ClientKeys.isSha256Hex(ClientKeys.sha256Hex("k")));
        assertTrue(ClientKeys.isSha256Hex(ClientKeys.sha256Hex("k").toUpperCase()));
        assertFalse(ClientKeys.isSha256Hex("abc"));
        assertFalse(ClientKeys.isSha256Hex("z".repeat(64)));
        assertFalse(ClientKeys.isSha256Hex(null));
    }
}
