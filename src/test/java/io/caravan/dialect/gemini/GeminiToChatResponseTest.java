package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.assertJson;
import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationRefused;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GeminiToChatResponseTest {

    static final long CREATED = 1_750_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC);

    private final GeminiUpstreamTranslator translator =
            new GeminiUpstreamTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds(), CLOCK);

    /** Thoughts, text and the signature; usage as both directions agree to count it (thoughts are output). */
    @Test
    void aThinkingAnswerBecomesAChatCompletion() {
        ObjectNode gemini = json("""
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"text": "Let me count.", "thought": true},
                    {"text": "1, 2, ", "thoughtSignature": "c2lnLTE="},
                    {"text": "3", "thoughtSignature": "c2lnLTI="}]},
                  "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 5, "thoughtsTokenCount": 20,
                   "cachedContentTokenCount": 4, "toolUsePromptTokenCount": 3, "totalTokenCount": 40},
                 "modelVersion": "gemini-2.5-flash", "responseId": "abc123"}""");
        ObjectNode untouched = gemini.deepCopy();

        ObjectNode chat = translator.response(gemini, "alias");

        assertJson("""
                {"id": "chatcmpl-abc123", "object": "chat.completion", "created": %d, "model": "alias",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "1, 2, 3", "refusal": null,
                    "reasoning_content": "Let me count.", "reasoning_signature": "gemini.c2lnLTE="},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 15, "completion_tokens": 25, "total_tokens": 40,
                   "prompt_tokens_details": {"cached_tokens": 4},
                   "completion_tokens_details": {"reasoning_tokens": 20}}}""".formatted(CREATED), chat);
        GoldenFiles.assertJson(untouched, gemini);
    }

    /** AI Studio gives calls no id: each gets a fresh one; an id Gemini gave is kept. */
    @Test
    void functionCallsBecomeToolCalls() {
        ObjectNode gemini = json("""
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"functionCall": {"name": "weather", "args": {"city": "Paris"}}, "thoughtSignature": "c2ln"},
                    {"functionCall": {"id": "fc-2", "name": "time", "args": {}}}]},
                  "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 30, "candidatesTokenCount": 10, "totalTokenCount": 40}}""");

        ObjectNode chat = translator.response(gemini, "alias");

        assertEquals("chatcmpl-test2", chat.path("id").asText());
        JsonNode choice = chat.path("choices").path(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        assertTrue(choice.path("message").path("content").isNull());
        assertEquals("gemini.c2ln", choice.path("message").path("reasoning_signature").asText());
        assertJson("""
                [{"id": "call_test1", "type": "function",
                  "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                 {"id": "fc-2", "type": "function", "function": {"name": "time", "arguments": "{}"}}]""",
                choice.path("message").path("tool_calls"));
    }

    @Test
    void finishReasonsMapToTheCommonModels() {
        String answer = """
                {"candidates": [{"content": {"role": "model", "parts": [{"text": "x"}]}, "finishReason": "%s"}]}""";

        assertEquals("length", finishReason(answer.formatted("MAX_TOKENS")));
        assertEquals("content_filter", finishReason(answer.formatted("SAFETY")));
        assertEquals("content_filter", finishReason(answer.formatted("RECITATION")));
        assertEquals("stop", finishReason(answer.formatted("STOP")));
        assertEquals("stop", finishReason("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"x\"}]}}]}"));
    }

    /** A blocked prompt reaches the caller as a 400 of its own dialect, never as an empty answer. */
    @Test
    void aBlockedPromptIsA400SayingWhy() {
        ObjectNode gemini = json("""
                {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
                 "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}, "responseId": "r1"}""");

        TranslationRefused refused = assertThrows(TranslationRefused.class, () -> translator.response(gemini, "alias"));

        assertEquals(400, refused.status());
        JsonNode error = translator.error(refused.status(), refused.upstreamErrorBody()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("prompt_blocked", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("safety filters blocked the prompt"), error.toString());
        assertTrue(error.path("message").asText().contains("PROHIBITED_CONTENT"), error.toString());
    }

    /** Not an answer Gemini gives: the bridge fails such an attempt as an upstream fault. */
    @Test
    void anAnswerWithoutACandidateOrAReasonIsNoAnswer() {
        assertThrows(IllegalArgumentException.class, () -> translator.response(json("{\"candidates\": []}"), "alias"));
    }

    private String finishReason(String answer) {
        return translator.response(json(answer), "alias").path("choices").path(0).path("finish_reason").asText();
    }
}
