package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The Anthropic plug-in's golden files ({@code src/test/resources/dialect/anthropic/}) and fixed clock. */
final class Golden {

    /** Every "created" a translator writes under test. */
    static final long CREATED = 1_750_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC);

    private Golden() {
    }

    static JsonNode load(String path) {
        return GoldenFiles.load("anthropic", path);
    }

    /** A raw upstream body: a string as written, anything else as its JSON text. */
    static String rawInput(JsonNode golden) {
        JsonNode input = golden.get("input");
        return input.isTextual() ? input.textValue() : input.toString();
    }
}
