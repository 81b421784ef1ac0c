package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.dialect.anthropic.AnthropicDialect;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Gemini caller of an Anthropic credential, the two halves joined at the common model: a Gemini CLI tool loop with
 * thinking, whose history keeps no thought parts, still gives Anthropic its signed thinking block back, and the
 * call and its result pair up by the Anthropic tool_use id.
 */
class GeminiThroughAnthropicTest {

    private static final TranslationSettings SETTINGS = ShippedSettings.translation();
    private final Translator chain = Translators.through(new GeminiCallerTranslator(SETTINGS, GoldenFiles.sequentialIds()),
            AnthropicDialect.INSTANCE.upstreamTranslator(SETTINGS));

    private static final String FIRST_TURN = """
            {"model": "gemini-2.5-pro", "stream": %s,
             "systemInstruction": {"parts": [{"text": "You are a CLI agent."}]},
             "contents": [{"role": "user", "parts": [{"text": "What is in this folder?"}]}],
             "tools": [{"functionDeclarations": [{"name": "list_directory", "description": "Lists a directory",
               "parametersJsonSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}]}],
             "generationConfig": {"temperature": 1, "topP": 0.95, "topK": 64,
               "thinkingConfig": {"includeThoughts": true, "thinkingBudget": 8192}}}
            """;

    @Test
    void aToolLoopWithThinkingKeepsTheSignedThinkingAcrossTurns() {
        ObjectNode first = chain.request(Json.object(FIRST_TURN.formatted(false)), "claude-sonnet-4-5");

        assertEquals("You are a CLI agent.", first.path("system").asText(), first.toString());
        assertEquals("enabled", first.at("/thinking/type").asText(), first.toString());
        assertEquals("list_directory", first.at("/tools/0/name").asText());
        assertEquals("object", first.at("/tools/0/input_schema/type").asText());

        ObjectNode answer = chain.response(Json.object("""
                {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "thinking", "thinking": "I should list the folder.", "signature": "ErUBCkYIAxgC"},
                   {"type": "tool_use", "id": "toolu_01A", "name": "list_directory", "input": {"path": "."}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 120, "output_tokens": 40}}
                """), "gemini-2.5-pro");

        JsonNode parts = answer.at("/candidates/0/content/parts");
        assertEquals("I should list the folder.", parts.at("/0/text").asText(), answer.toString());
        assertTrue(parts.at("/0/thought").asBoolean());
        GoldenFiles.assertJson(Json.object("{\"id\": \"toolu_01A\", \"name\": \"list_directory\", \"args\": {\"path\": \".\"}}"),
                parts.at("/1/functionCall"));
        assertEquals("STOP", answer.at("/candidates/0/finishReason").asText());
        assertEquals(120, answer.at("/usageMetadata/promptTokenCount").asInt());
        assertEquals(160, answer.at("/usageMetadata/totalTokenCount").asInt());

        // Gemini CLI's next request: the model turn without its thought part, the result answering the call's id.
        ObjectNode modelTurn = (ObjectNode) answer.at("/candidates/0/content").deepCopy();
        ((ArrayNode) modelTurn.get("parts")).remove(0);
        ObjectNode next = Json.object(FIRST_TURN.formatted(false));
        ((ArrayNode) next.get("contents")).add(modelTurn).add(Json.object("""
                {"role": "user", "parts": [{"functionResponse": {"id": "toolu_01A", "name": "list_directory",
                  "response": {"output": "README.md\\nsrc"}}}]}
                """));

        ObjectNode second = chain.request(next, "claude-sonnet-4-5");

        GoldenFiles.assertJson(Json.object("""
                {"role": "assistant", "content": [
                  {"type": "thinking", "thinking": "I should list the folder.", "signature": "ErUBCkYIAxgC"},
                  {"type": "tool_use", "id": "toolu_01A", "name": "list_directory", "input": {"path": "."}}]}
                """), second.at("/messages/1"));
        GoldenFiles.assertJson(Json.object("""
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": "README.md\\nsrc"}]}
                """), second.at("/messages/2"));
    }

    @Test
    void anAnthropicStreamComesBackAsGeminiChunksEndingWithTheCallFinishAndUsage() {
        ObjectNode request = Json.object(FIRST_TURN.formatted(true));
        assertTrue(chain.request(request, "claude-sonnet-4-5").path("stream").asBoolean());
        StreamTranslator stream = Translators.stream(chain, request, "gemini-2.5-pro");
        List<SseEvent> out = new ArrayList<>();
        for (String[] event : new String[][] {
                {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":120,\"output_tokens\":1}}}"},
                {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"},
                {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"List it.\"}}"},
                {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"ErUB\"}}"},
                {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
                {"content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"list_directory\",\"input\":{}}}"},
                {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"path\\\":\"}}"},
                {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\".\\\"}\"}}"},
                {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"},
                {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}"},
                {"message_stop", "{\"type\":\"message_stop\"}"}}) {
            out.addAll(stream.onEvent(SseEvent.named(event[0], event[1])));
        }
        out.addAll(stream.onEnd());

        ArrayNode chunks = GoldenFiles.rendered(out);
        assertEquals("List it.", chunks.at("/0/data/candidates/0/content/parts/0/text").asText(), chunks.toString());
        JsonNode last = chunks.get(chunks.size() - 1).get("data");
        GoldenFiles.assertJson(Json.object("{\"id\": \"toolu_02\", \"name\": \"list_directory\", \"args\": {\"path\": \".\"}}"),
                last.at("/candidates/0/content/parts/0/functionCall"));
        assertEquals(GeminiThoughtSeal.seal("List it.", "ErUB"), last.at("/candidates/0/content/parts/0/thoughtSignature").asText());
        assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
        assertEquals(120, last.at("/usageMetadata/promptTokenCount").asInt(), last.toString());
        assertEquals(30, last.at("/usageMetadata/candidatesTokenCount").asInt(), last.toString());
        for (SseEvent event : out) {
            assertTrue(event.event() == null && !event.isError(), event.toString());
        }
    }
}
