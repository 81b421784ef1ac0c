package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiToAnthropicResponseTest {

    private final OpenAiToAnthropicResponse translator = new OpenAiToAnthropicResponse(GoldenFiles.sequentialIds());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-calls", "reasoning", "usage-cache", "refusal"})
    void translatesAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("response/openai-to-anthropic/" + name);
        ObjectNode input = GoldenFiles.input(golden);
        ObjectNode untouched = input.deepCopy();

        ObjectNode actual = translator.translate(input, golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), actual);
        GoldenFiles.assertJson(untouched, input);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "function_call, tool_use",
            "content_filter, refusal"})
    void mapsEveryFinishReason(String finishReason, String stopReason) {
        ObjectNode input = GoldenFiles.input(Golden.load("response/openai-to-anthropic/text"));
        ((ObjectNode) input.get("choices").get(0)).put("finish_reason", finishReason);

        assertEquals(stopReason, translator.translate(input, "claude").get("stop_reason").textValue());
    }
}
