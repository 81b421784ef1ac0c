package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponsesToChatRequestTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "items", "function-round-trip", "tools", "tool-choice-required", "json-schema",
            "json-object", "stream-reasoning", "reasoning-items"})
    void translatesTheRequestAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("request/" + name);

        JsonNode chat = Golden.translator().request(GoldenFiles.input(golden), golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), chat);
    }
}
