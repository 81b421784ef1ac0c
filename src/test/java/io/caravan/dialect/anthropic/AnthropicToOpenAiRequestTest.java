package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationSettings;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicToOpenAiRequestTest {

    private final AnthropicToOpenAiRequest translator =
            new AnthropicToOpenAiRequest(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "system", "images", "tools", "tool-results", "multi-turn-tools", "thinking",
            "parameters"})
    void translatesAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("request/anthropic-to-openai/" + name);
        ObjectNode input = GoldenFiles.input(golden);
        ObjectNode untouched = input.deepCopy();

        ObjectNode actual = translator.translate(input, golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), actual);
        GoldenFiles.assertJson(untouched, input);
    }

    @ParameterizedTest(name = "budget {0} -> {1}")
    @CsvSource({"1024, low", "2000, medium", "4096, medium", "4097, high", "31999, high"})
    void thinkingBudgetBecomesTheSmallestEffortThatCoversIt(int budget, String effort) {
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode().put("model", "claude").put("max_tokens", 40000);
        request.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        request.putArray("messages").addObject().put("role", "user").put("content", "hi");

        ObjectNode expected = GoldenFiles.MAPPER.createObjectNode().put("model", "gpt");
        expected.putArray("messages").addObject().put("role", "user").put("content", "hi");
        expected.put("max_completion_tokens", 40000).put("reasoning_effort", effort);

        GoldenFiles.assertJson(expected, translator.translate(request, "gpt"));
    }
}
