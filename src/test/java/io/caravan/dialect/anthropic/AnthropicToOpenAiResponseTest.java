package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationSettings;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicToOpenAiResponseTest {

    private final AnthropicToOpenAiResponse translator =
            new AnthropicToOpenAiResponse(GoldenFiles.sequentialIds(), Golden.CLOCK);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-use", "tool-use-only", "thinking", "usage-cache"})
    void translatesAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("response/anthropic-to-openai/" + name);
        ObjectNode input = GoldenFiles.input(golden);
        ObjectNode untouched = input.deepCopy();

        ObjectNode actual = translator.translate(input, golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), actual);
        GoldenFiles.assertJson(untouched, input);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"end_turn, stop", "max_tokens, length", "tool_use, tool_calls", "stop_sequence, stop",
            "refusal, content_filter", "pause_turn, stop", "model_context_window_exceeded, length"})
    void mapsEveryStopReason(String stopReason, String finishReason) {
        ObjectNode input = GoldenFiles.input(Golden.load("response/anthropic-to-openai/text"));
        input.put("stop_reason", stopReason);

        JsonNode choice = translator.translate(input, "gpt").get("choices").get(0);

        assertEquals(finishReason, choice.get("finish_reason").textValue());
    }

    @Test
    void aSignedThinkingBlockSurvivesTheRoundTripThroughAnOpenAiCaller() {
        ObjectNode anthropicAnswer = GoldenFiles.input(Golden.load("response/anthropic-to-openai/thinking"));
        JsonNode thinkingBlock = anthropicAnswer.get("content").get(0);
        JsonNode openAiMessage = translator.translate(anthropicAnswer, "claude").get("choices").get(0).get("message");

        // the caller replays the assistant message, as OpenAI clients do, and asks a follow-up question
        ObjectNode nextRequest = GoldenFiles.MAPPER.createObjectNode().put("model", "claude");
        nextRequest.putArray("messages")
                .add(GoldenFiles.MAPPER.createObjectNode().put("role", "user").put("content", "Is 1001 prime?"))
                .add(openAiMessage)
                .add(GoldenFiles.MAPPER.createObjectNode().put("role", "user").put("content", "And 1009?"));
        ObjectNode anthropicRequest = new OpenAiToAnthropicRequest(ShippedSettings.translation(),
                GoldenFiles.sequentialIds()).translate(nextRequest, "claude-sonnet-4-5");

        JsonNode replayedThinking = anthropicRequest.get("messages").get(1).get("content").get(0);
        GoldenFiles.assertJson(thinkingBlock, replayedThinking);
    }
}
