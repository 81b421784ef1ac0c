package io.caravan.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which settings {@code GET /admin/v1/config} masks, and how much of a URL it hides. */
class EffectiveSettingsTest {

    @Test
    void namesThatSayKeySecretPasswordOrTokenAreMaskedWhole() {
        assertEquals("****", EffectiveSettings.mask("caravan.admin-keys", "k1,k2"));
        assertEquals("****", EffectiveSettings.mask("caravan.client-keys", "k1"));
        assertEquals("****", EffectiveSettings.mask("caravan.store.password", "hunter2"));
        assertEquals("****", EffectiveSettings.mask("caravan.vault.secret", "s"));
        assertEquals("****", EffectiveSettings.mask("caravan.oauth.token", "t"));
        assertEquals("****", EffectiveSettings.mask("caravan.tracing.otlp-headers", "authorization=Bearer abc"));
        assertEquals("", EffectiveSettings.mask("caravan.admin-keys", ""), "an empty value says it is off");
    }

    @Test
    void otherNamesAreShownEvenWhenAWordLooksAlike() {
        assertFalse(EffectiveSettings.secretName("caravan.translation.default-max-tokens"));
        assertFalse(EffectiveSettings.secretName("caravan.credentials-file"));
        assertFalse(EffectiveSettings.secretName("caravan.timeout.request-ms"));
        assertEquals("4096", EffectiveSettings.mask("caravan.translation.default-max-tokens", "4096"));
    }

    @Test
    void aUrlsPasswordIsMaskedAndTheRestShown() {
        assertEquals("jdbc:postgresql://caravan:****@db.example:5432/caravan",
                EffectiveSettings.mask("caravan.store.url", "jdbc:postgresql://caravan:s3cret@db.example:5432/caravan"));
        assertEquals("jdbc:postgresql://db.example/caravan?user=caravan&password=****&ssl=true",
                EffectiveSettings.mask("caravan.store.url",
                        "jdbc:postgresql://db.example/caravan?user=caravan&password=s3cret&ssl=true"));
        assertEquals("jdbc:sqlite:caravan.db", EffectiveSettings.mask("caravan.store.url", "jdbc:sqlite:caravan.db"));
        assertTrue(EffectiveSettings.mask("caravan.otel.endpoint", "http://127.0.0.1:4318").endsWith(":4318"));
    }
}
