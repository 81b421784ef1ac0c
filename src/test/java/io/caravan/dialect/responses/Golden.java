package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The Responses plug-in's golden files ({@code src/test/resources/dialect/responses/}) and fixed clock and ids. */
final class Golden {

    /** Every time a translator reads from its clock under test. */
    static final long NOW = 1_760_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private Golden() {
    }

    static ResponsesCallerTranslator translator() {
        return new ResponsesCallerTranslator(GoldenFiles.sequentialIds(), CLOCK);
    }

    static JsonNode load(String path) {
        return GoldenFiles.load("responses", path);
    }
}
