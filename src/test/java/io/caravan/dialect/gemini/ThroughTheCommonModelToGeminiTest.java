package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.assertJson;
import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.json;
import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationRefused;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.dialect.anthropic.AnthropicCallerTranslator;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic caller (Claude Code) on Gemini credentials: its half to the common model, this plug-in's half from
 * there to Gemini. What comes out must be Gemini on the way up and Anthropic on the way back, with the meaning kept.
 */
class ThroughTheCommonModelToGeminiTest {

    private static final TranslationSettings SETTINGS = ShippedSettings.translation();
    private final Translator chain = Translators.through(
            new AnthropicCallerTranslator(SETTINGS, GoldenFiles.sequentialIds()),
            new GeminiUpstreamTranslator(SETTINGS, GoldenFiles.sequentialIds(), GeminiToChatResponseTest.CLOCK));

    /**
     * The Anthropic caller half does not replay thinking into the common model, so the earlier call reaches Gemini
     * without its signature and carries the documented dummy instead.
     */
    @Test
    void anAnthropicToolTurnReachesGeminiAsFunctionCallsAndResponses() {
        ObjectNode anthropic = json("""
                {"model": "alias", "max_tokens": 1000, "system": "Be brief.",
                 "thinking": {"type": "enabled", "budget_tokens": 1024},
                 "tools": [{"name": "weather", "description": "The weather",
                   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
                 "messages": [
                   {"role": "user", "content": "Weather in Paris?"},
                   {"role": "assistant", "content": [
                      {"type": "thinking", "thinking": "Call it.", "signature": "gemini.c2ln"},
                      {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}}]},
                   {"role": "user", "content": [
                      {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"}]}]}""");

        ObjectNode gemini = chain.request(anthropic, "gemini-2.5-flash");

        assertFalse(gemini.has("model"));
        assertJson("{\"parts\": [{\"text\": \"Be brief.\"}]}", gemini.get("systemInstruction"));
        assertJson("""
                [{"role": "user", "parts": [{"text": "Weather in Paris?"}]},
                 {"role": "model", "parts": [
                    {"functionCall": {"id": "toolu_1", "name": "weather", "args": {"city": "Paris"}},
                     "thoughtSignature": "skip_thought_signature_validator"}]},
                 {"role": "user", "parts": [
                    {"functionResponse": {"id": "toolu_1", "name": "weather", "response": {"output": "sunny"}}}]}]""",
                gemini.get("contents"));
        assertEquals("weather", gemini.path("tools").path(0).path("functionDeclarations").path(0).path("name").asText());
        assertEquals(SETTINGS.lowThinkingBudget(),
                gemini.path("generationConfig").path("thinkingConfig").path("thinkingBudget").asInt());
    }

    @Test
    void aGeminiAnswerComesBackAsAnAnthropicMessage() {
        ObjectNode gemini = json("""
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"text": "Checking.", "thought": true},
                    {"text": "Let me look."},
                    {"functionCall": {"name": "weather", "args": {"city": "Rome"}}, "thoughtSignature": "c2ln"}]},
                  "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 20, "candidatesTokenCount": 8, "thoughtsTokenCount": 4},
                 "responseId": "r9"}""");

        ObjectNode anthropic = chain.response(gemini, "alias");

        assertEquals("message", anthropic.path("type").asText());
        assertEquals("alias", anthropic.path("model").asText());
        assertEquals("tool_use", anthropic.path("stop_reason").asText());
        JsonNode content = anthropic.path("content");
        assertEquals("thinking", content.path(0).path("type").asText());
        assertEquals("gemini.c2ln", content.path(0).path("signature").asText());
        assertEquals("Let me look.", content.path(1).path("text").asText());
        assertEquals("weather", content.path(2).path("name").asText());
        assertJson("{\"city\": \"Rome\"}", content.path(2).path("input"));
        assertEquals(20, anthropic.path("usage").path("input_tokens").asInt());
        assertEquals(12, anthropic.path("usage").path("output_tokens").asInt());
    }

    /** The Anthropic half's common request asks for usage, so the Anthropic stream ends with real counts. */
    @Test
    void aGeminiStreamComesBackAsAnthropicEvents() {
        ObjectNode anthropic = json("""
                {"model": "alias", "max_tokens": 100, "stream": true,
                 "messages": [{"role": "user", "content": "Count."}]}""");
        StreamTranslator stream = chain.stream(anthropic, "alias", "req_1");

        List<SseEvent> out = new ArrayList<>();
        out.addAll(stream.onEvent(SseEvent.data(
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"1, 2, 3\"}]}}],\"responseId\":\"r1\"}")));
        out.addAll(stream.onEvent(SseEvent.data("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},"
                + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":30}}")));
        out.addAll(stream.onEnd());

        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), out.stream().map(SseEvent::event).toList());
        assertEquals("1, 2, 3", parse(out.get(2).data()).path("delta").path("text").asText());
        assertEquals("end_turn", parse(out.get(4).data()).path("delta").path("stop_reason").asText());
        assertEquals(30, parse(out.get(4).data()).path("usage").path("output_tokens").asInt());
    }

    @Test
    void googleErrorsAndBlockedPromptsComeBackInTheCallersShape() {
        JsonNode rateLimit = chain.error(429, """
                {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}""");
        TranslationRefused blocked = assertThrows(TranslationRefused.class, () -> chain.response(json(
                "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}"), "alias"));
        JsonNode blockedError = chain.error(blocked.status(), blocked.upstreamErrorBody());

        assertJson("{\"type\": \"error\", \"error\": {\"type\": \"rate_limit_error\", \"message\": \"Quota exceeded\"}}",
                rateLimit);
        assertEquals(400, blocked.status());
        assertEquals("invalid_request_error", blockedError.path("error").path("type").asText());
        assertTrue(blockedError.path("error").path("message").asText().contains("blockReason SAFETY"),
                blockedError.toString());
    }
}
