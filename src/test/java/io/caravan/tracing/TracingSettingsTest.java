package io.caravan.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.config.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The OTLP endpoint and headers settings: what they become, and errors that never repeat a header's value. */
class TracingSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:4318, http://127.0.0.1:4318/v1/traces",
        "http://127.0.0.1:4318/, http://127.0.0.1:4318/v1/traces",
        "https://collector.example:443/otlp, https://collector.example:443/otlp/v1/traces",
        "http://127.0.0.1:4318/v1/traces, http://127.0.0.1:4318/v1/traces",
        "' http://localhost:4318 ', http://localhost:4318/v1/traces"})
    void theEndpointIsTheCollectorsBaseUrlWithTheTracesPathAppendedOnce(String setting, String expected) {
        assertEquals(expected, OtlpTracing.tracesEndpoint(setting).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4318", "grpc://127.0.0.1:4317", "http://", "not a url",
        "http://user:pass@127.0.0.1:4318", "http://127.0.0.1:4318?token=abc"})
    void anEndpointThatIsNoPlainHttpUrlStopsTheStartWithoutRepeatingIt(String setting) {
        String message = assertThrows(ConfigurationException.class, () -> OtlpTracing.tracesEndpoint(setting))
                .getMessage();
        assertTrue(message.startsWith("Invalid setting caravan.tracing.otlp-endpoint: "), message);
        assertFalse(message.contains("pass") || message.contains("abc"), message);
    }

    @Test
    void headersAreNameValuePairsCommaSeparated() {
        assertEquals(Map.of(), OtlpHeaders.parse(""));
        assertEquals(Map.of("Authorization", "Bearer abc=def", "x-tenant", "acme"),
                OtlpHeaders.parse("Authorization=Bearer abc=def, x-tenant = acme"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "=sk-collector-secret", "bad name=sk-collector-secret",
        "x-token=", "x-token=sk-collector-\u0007secret"})
    void aMalformedHeaderIsNamedButItsValueNeverShown(String setting) {
        String message = assertThrows(ConfigurationException.class, () -> OtlpHeaders.parse(setting)).getMessage();
        assertTrue(message.startsWith("Invalid setting caravan.tracing.otlp-headers: "), message);
        assertFalse(message.contains("sk-collector"), message);
    }
}
