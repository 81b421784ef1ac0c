package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A signature is valid only at the provider that made it: a Gemini thought signature (marked {@code gemini.} in the
 * common model) replayed to Anthropic would fail the whole request, so it is dropped with its reasoning, while
 * Anthropic's own still makes the signed thinking block.
 */
class ForeignSignaturesTest {

    private static final String TURN = """
            {"model": "m", "messages": [
               {"role": "user", "content": "Go"},
               {"role": "assistant", "content": "Calling.", "reasoning_content": "I should call f.",
                "reasoning_signature": "%s",
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
               {"role": "tool", "tool_call_id": "c1", "content": "done"}]}""";

    private final OpenAiToAnthropicRequest translator =
            new OpenAiToAnthropicRequest(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    @Test
    void aGeminiSignatureNeverReachesAnthropic() throws IOException {
        JsonNode assistant = translator.translate(request("gemini.c2lnLTE="), "claude").path("messages").path(1);

        assertEquals("text", assistant.path("content").path(0).path("type").asText(), assistant.toString());
        assertEquals("tool_use", assistant.path("content").path(1).path("type").asText(), assistant.toString());
        assertEquals(2, assistant.path("content").size(), assistant.toString());
    }

    @Test
    void anAnthropicSignatureStillMakesTheSignedThinkingBlock() throws IOException {
        JsonNode assistant = translator.translate(request("EqQBCkYIBxgC"), "claude").path("messages").path(1);

        assertEquals("thinking", assistant.path("content").path(0).path("type").asText(), assistant.toString());
        assertEquals("EqQBCkYIBxgC", assistant.path("content").path(0).path("signature").asText());
    }

    private static ObjectNode request(String signature) throws IOException {
        return (ObjectNode) GoldenFiles.MAPPER.readTree(TURN.formatted(signature));
    }
}
