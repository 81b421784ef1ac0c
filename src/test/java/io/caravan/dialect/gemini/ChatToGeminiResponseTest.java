package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatToGeminiResponseTest {

    private final GeminiCallerTranslator translator =
            new GeminiCallerTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    private ObjectNode translate(String chat) {
        ObjectNode input = Json.object(chat);
        ObjectNode untouched = input.deepCopy();
        ObjectNode gemini = translator.response(input, "gemini-2.5-pro");
        GoldenFiles.assertJson(untouched, input);
        return gemini;
    }

    @Test
    void reasoningTextAndToolCallsBecomeThoughtTextAndFunctionCallPartsWithTheSignatureWhereGeminiCliKeepsIt() {
        ObjectNode gemini = translate("""
                {"id": "chatcmpl-1", "object": "chat.completion", "model": "claude-sonnet-4-5",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": "Checking.", "reasoning_content": "The user wants weather.", "reasoning_signature": "EqQB",
                   "tool_calls": [
                     {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                     {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": ""}}]}}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150,
                   "prompt_tokens_details": {"cached_tokens": 40}, "completion_tokens_details": {"reasoning_tokens": 20}}}
                """);

        String sealed = GeminiThoughtSeal.seal("The user wants weather.", "EqQB");
        GoldenFiles.assertJson(Json.object("""
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"text": "The user wants weather.", "thought": true, "thoughtSignature": "EqQB"},
                    {"text": "Checking.", "thoughtSignature": "%1$s"},
                    {"functionCall": {"id": "call_1", "name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "%1$s"},
                    {"functionCall": {"id": "call_2", "name": "get_time", "args": {}}}]},
                  "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": 30, "totalTokenCount": 150,
                   "cachedContentTokenCount": 40, "thoughtsTokenCount": 20},
                 "modelVersion": "gemini-2.5-pro", "responseId": "chatcmpl-1"}
                """.formatted(sealed)), gemini);
    }

    /**
     * Gemini CLI keeps no thought parts in its history: the signature its function call part keeps brings the thinking
     * and its signature back; an SDK that keeps the thought part sends them back as they were.
     */
    @Test
    void thinkingAndItsSignatureComeBackFromTheHistoryEitherKeeps() {
        ObjectNode answer = translate("""
                {"id": "c", "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                  "content": null, "reasoning_content": "Need the weather.", "reasoning_signature": "EqQB",
                  "tool_calls": [{"id": "toolu_1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}}]}
                """);
        ObjectNode modelTurn = (ObjectNode) answer.at("/candidates/0/content");
        ObjectNode withoutThoughts = modelTurn.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) withoutThoughts.get("parts")).remove(0);

        for (ObjectNode history : java.util.List.of(modelTurn, withoutThoughts)) {
            ObjectNode request = Json.object("""
                    {"model": "gemini-2.5-pro", "contents": [{"role": "user", "parts": [{"text": "Weather?"}]}, %s,
                      {"role": "user", "parts": [{"functionResponse": {"id": "toolu_1", "name": "w", "response": {"output": "Sun"}}}]}]}
                    """.formatted(history));
            ObjectNode assistant = (ObjectNode) translator.request(request, "claude").at("/messages/1");

            assertEquals("Need the weather.", assistant.path("reasoning_content").asText(), assistant.toString());
            assertEquals("EqQB", assistant.path("reasoning_signature").asText(), assistant.toString());
            assertEquals("toolu_1", assistant.at("/tool_calls/0/id").asText());
        }
    }

    @Test
    void aPlainAnswerHasNoThoughtsAndItsZeroCountsAreLeftOut() {
        ObjectNode gemini = translate("""
                {"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi!"}}],
                 "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi!"}]}, "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 2, "totalTokenCount": 7},
                 "modelVersion": "gemini-2.5-pro", "responseId": "resp_test1"}
                """), gemini);
    }

    @Test
    void aSignatureWithoutTextOrCallsRidesOnAThoughtPart() {
        ObjectNode gemini = translate("""
                {"id": "c", "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                  "content": null, "reasoning_signature": "sig"}}]}
                """);

        GoldenFiles.assertJson(Json.object("""
                [{"text": "", "thought": true, "thoughtSignature": "sig"}]
                """.replace("[", "{\"p\": [").replace("]", "]}")).get("p"), gemini.at("/candidates/0/content/parts"));
        assertEquals(false, gemini.has("usageMetadata"), gemini.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"stop, STOP", "length, MAX_TOKENS", "tool_calls, STOP", "content_filter, SAFETY", "function_call, STOP"})
    void finishReasonsMapToGeminis(String chat, String gemini) {
        ObjectNode answer = translate("""
                {"choices": [{"index": 0, "finish_reason": "%s", "message": {"role": "assistant", "content": "x"}}]}
                """.formatted(chat));

        assertEquals(gemini, answer.at("/candidates/0/finishReason").asText());
    }

    @Test
    void aRefusalIsTheTextAndASafetyFinish() {
        ObjectNode gemini = translate("""
                {"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": null,
                  "refusal": "I can't help with that."}}]}
                """);

        assertEquals("I can't help with that.", gemini.at("/candidates/0/content/parts/0/text").asText());
        assertEquals("SAFETY", gemini.at("/candidates/0/finishReason").asText());
    }

    @Test
    void malformedArgumentsBecomeAnEmptyObjectAndACallWithoutIdGetsOne() {
        ObjectNode gemini = translate("""
                {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                  "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{\\"a\\": tru"}}]}}]}
                """);

        GoldenFiles.assertJson(Json.object("{\"functionCall\": {\"id\": \"call_test1\", \"name\": \"f\", \"args\": {}}}"),
                gemini.at("/candidates/0/content/parts/0"));
    }
}
