package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatToResponsesAnswerTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-calls", "length", "refusal", "usage-details", "reasoning",
            "reasoning-tool-call"})
    void translatesTheAnswerAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("response/" + name);

        JsonNode response = Golden.translator().response(GoldenFiles.input(golden), golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), response);
    }
}
