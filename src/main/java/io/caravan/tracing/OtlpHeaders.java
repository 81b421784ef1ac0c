package io.caravan.tracing;

import io.caravan.config.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code caravan.tracing.otlp-headers}: {@code name=value} pairs, comma separated, as {@code OTEL_EXPORTER_OTLP_HEADERS}
 * writes them. The values are secrets (a collector's token): an error names the header or the pair's place, never a
 * value.
 */
final class OtlpHeaders {

    static final String SETTING = "caravan.tracing.otlp-headers";
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private OtlpHeaders() {
    }

    /** The headers by name, in the order given; empty for an empty setting. */
    static Map<String, String> parse(String setting) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (setting == null || setting.isBlank()) {
            return headers;
        }
        String[] pairs = setting.split(",");
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int equals = pair.indexOf('=');
            String name = equals < 0 ? "" : pair.substring(0, equals).trim();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException("Invalid setting " + SETTING + ": pair " + (i + 1)
                        + " is not name=value with a header name");
            }
            String value = pair.substring(equals + 1).trim();
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new ConfigurationException("Invalid setting " + SETTING + ": header " + name
                        + " has an empty value or one with control characters");
            }
            headers.put(name, value);
        }
        return headers;
    }
}
