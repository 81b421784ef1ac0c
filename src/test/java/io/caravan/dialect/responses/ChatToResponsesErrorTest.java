package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatToResponsesErrorTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai-400", "context-length-400", "string-error-429", "no-message-503"})
    void reshapesTheErrorAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("error/" + name);

        JsonNode error = Golden.translator().error(golden.get("status").asInt(), golden.get("input").toString());

        GoldenFiles.assertJson(golden.get("expected"), error);
    }
}
