package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponsesToChatRequestTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "items", "function-round-trip", "tools", "tool-choice-required", "json-schema",
            "json-object", "stream-reasoning", "reasoning-items"})
    void translatesTheRequestAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("request/" + name);

        JsonNode chat = Golden.translator().request(Golden.input(golden), golden.get("model").textValue());

        Golden.assertJson(golden.get("expected"), chat);
    }
}
