package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class GeminiThoughtSealTest {

    @Test
    void aSealOpensToTheThinkingAndSignatureItHolds() {
        String sealed = GeminiThoughtSeal.seal("Pensons: \"x\" → y\n", "EqQBCkgIARAB");

        assertEquals(new GeminiThoughtSeal("Pensons: \"x\" → y\n", "EqQBCkgIARAB"), GeminiThoughtSeal.opened(sealed));
    }

    @Test
    void signaturesTheGatewayDidNotSealAreNoSeal() {
        assertNull(GeminiThoughtSeal.opened("CiQB0e2Kb7zVg9Q2"));
        assertNull(GeminiThoughtSeal.opened("caravan-thinking:!!!"));
        assertNull(GeminiThoughtSeal.opened("caravan-thinking:" + java.util.Base64.getUrlEncoder().encodeToString("{}".getBytes())));
        assertNull(GeminiThoughtSeal.opened(null));
    }
}
