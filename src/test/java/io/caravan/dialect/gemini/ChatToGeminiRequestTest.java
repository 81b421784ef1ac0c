package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationRefused;
import io.caravan.dialect.TranslationSettings;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatToGeminiRequestTest {

    /** The top-level fields of a GenerateContentRequest the translation may write (Gemini rejects unknown ones). */
    private static final Set<String> GEMINI_REQUEST_FIELDS = Set.of("contents", "systemInstruction", "tools",
            "toolConfig", "generationConfig");

    private static final TranslationSettings SETTINGS = ShippedSettings.translation();
    private final GeminiUpstreamTranslator translator =
            new GeminiUpstreamTranslator(SETTINGS, GoldenFiles.sequentialIds());

    @Test
    void aConversationBecomesContentsWithTheSystemApartAndNeitherModelNorStream() {
        ObjectNode chat = json("""
                {"model": "alias", "stream": true, "stream_options": {"include_usage": true}, "user": "u1",
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": "Hi"},
                   {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
                   {"role": "user", "content": [{"type": "text", "text": "Count to three."}]},
                   {"role": "assistant", "content": "Un, deux, trois."},
                   {"role": "user", "content": "Again"}]}""");

        ObjectNode gemini = translated(chat);

        assertJson("""
                {"contents": [
                   {"role": "user", "parts": [{"text": "Hi"}, {"text": "Count to three."}]},
                   {"role": "model", "parts": [{"text": "Un, deux, trois."}]},
                   {"role": "user", "parts": [{"text": "Again"}]}],
                 "systemInstruction": {"parts": [{"text": "Be brief."}, {"text": "Answer in French."}]}}""", gemini);
    }

    @Test
    void inlineImagesFilesAndAudioBecomeInlineData() {
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": [
                   {"type": "text", "text": "What is this?"},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                   {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0="}},
                   {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]}]}""");

        JsonNode parts = translated(chat).path("contents").path(0).path("parts");

        assertJson("""
                [{"text": "What is this?"},
                 {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                 {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}},
                 {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}}]""", parts);
    }

    /** AI Studio fetches no URL: the caller learns to send the image inline, in its own error shape. */
    @Test
    void anImageUrlIsRefusedWithA400TheCallerReads() {
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": [
                   {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}""");

        TranslationRefused refused = assertThrows(TranslationRefused.class, () -> translator.request(chat, "gemini-2.5-flash"));

        assertEquals(400, refused.status());
        JsonNode geminiError = GoldenFiles.MAPPER.valueToTree(parse(refused.upstreamErrorBody()));
        assertEquals("INVALID_ARGUMENT", geminiError.path("error").path("status").asText());
        JsonNode callerError = translator.error(refused.status(), refused.upstreamErrorBody()).path("error");
        assertEquals("invalid_request_error", callerError.path("type").asText());
        assertEquals("unsupported_parameter", callerError.path("code").asText());
        assertTrue(callerError.path("message").asText().contains("messages[0].content[0]"), callerError.toString());
        assertTrue(callerError.path("message").asText().contains("data: URL"), callerError.toString());
    }

    @Test
    void whatGeminiCannotDoIsRefusedNotDropped() {
        for (String refusedRequest : new String[] {
                "{\"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"logprobs\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"logit_bias\": {\"50256\": -100}, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"modalities\": [\"text\", \"audio\"], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"functions\": [{\"name\": \"f\"}], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"tools\": [{\"type\": \"custom\", \"custom\": {\"name\": \"grammar\"}}], "
                        + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"messages\": [{\"role\": \"function\", \"name\": \"f\", \"content\": \"42\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_id\": \"file-1\"}}]}]}"}) {
            ObjectNode chat = json(refusedRequest);
            TranslationRefused refused = assertThrows(TranslationRefused.class, () -> translator.request(chat, "g"),
                    refusedRequest);
            assertEquals(400, refused.status(), refusedRequest);
        }
        assertFalse(translated(json("{\"n\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))
                .has("generationConfig"));
    }

    @Test
    void hostedToolsAreLeftOutWhereTheSettingsSaySo() {
        TranslationSettings omitting = new TranslationSettings(SETTINGS.defaultMaxTokens(), SETTINGS.lowThinkingBudget(),
                SETTINGS.mediumThinkingBudget(), SETTINGS.highThinkingBudget(), true);
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": "hi"}], "web_search_options": {},
                 "tools": [{"type": "custom", "custom": {"name": "grammar"}},
                           {"type": "function", "function": {"name": "f"}}]}""");

        ObjectNode gemini = new GeminiUpstreamTranslator(omitting, GoldenFiles.sequentialIds()).request(chat, "g");

        assertJson("[{\"functionDeclarations\": [{\"name\": \"f\"}]}]", gemini.get("tools"));
    }

    /**
     * A tool round trip: the calls become functionCall parts (arguments parsed), the results one user content of
     * functionResponse parts in the calls' order, named after their calls; the turn had no Gemini signature, so its
     * first call carries the documented dummy.
     */
    @Test
    void toolCallsAndResultsBecomeFunctionCallsAndResponses() {
        ObjectNode chat = json("""
                {"messages": [
                   {"role": "user", "content": "Weather in Paris and Rome?"},
                   {"role": "assistant", "content": null, "tool_calls": [
                      {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                      {"id": "call_2", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
                   {"role": "tool", "tool_call_id": "call_2", "content": "sunny"},
                   {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "rain"}]},
                   {"role": "user", "content": "Thanks"}]}""");

        ObjectNode gemini = translated(chat);

        assertJson("""
                [{"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
                 {"role": "model", "parts": [
                    {"functionCall": {"id": "call_1", "name": "weather", "args": {"city": "Paris"}},
                     "thoughtSignature": "skip_thought_signature_validator"},
                    {"functionCall": {"id": "call_2", "name": "weather", "args": {"city": "Rome"}}}]},
                 {"role": "user", "parts": [
                    {"functionResponse": {"id": "call_1", "name": "weather", "response": {"output": "rain"}}},
                    {"functionResponse": {"id": "call_2", "name": "weather", "response": {"output": "sunny"}}},
                    {"text": "Thanks"}]}]""", gemini.get("contents"));
    }

    @Test
    void aGeminiSignatureGoesBackOnTheFirstCallAndAnotherProvidersNever() {
        String turn = """
                {"messages": [
                   {"role": "user", "content": "Go"},
                   {"role": "assistant", "content": "Calling.", "reasoning_content": "I should call f.",
                    "reasoning_signature": "%s",
                    "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": ""}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "done"}]}""";

        JsonNode gemini = translated(json(turn.formatted("gemini.c2lnLTE="))).path("contents").path(1).path("parts");
        JsonNode anthropic = translated(json(turn.formatted("EqQBCkYIBxgCKkDanthropic"))).path("contents").path(1)
                .path("parts");

        assertJson("""
                [{"text": "Calling."},
                 {"functionCall": {"id": "c1", "name": "f", "args": {}}, "thoughtSignature": "c2lnLTE="}]""", gemini);
        assertEquals("skip_thought_signature_validator", anthropic.path(1).path("thoughtSignature").asText());
        assertFalse(anthropic.path(0).has("thoughtSignature"));
    }

    @Test
    void aSignatureOfATextTurnGoesOnItsFirstPart() {
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": "Hi"},
                   {"role": "assistant", "content": "Hello", "reasoning_signature": "gemini.c2ln"},
                   {"role": "user", "content": "Bye"}]}""");

        assertJson("[{\"text\": \"Hello\", \"thoughtSignature\": \"c2ln\"}]",
                translated(chat).path("contents").path(1).path("parts"));
    }

    @Test
    void argumentsThatAreNoJsonObjectAndResultsOfUnknownCallsAreRefused() {
        ObjectNode badArguments = json("""
                {"messages": [{"role": "user", "content": "Go"},
                   {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                      "function": {"name": "f", "arguments": "{not json"}}]}]}""");
        ObjectNode unknownCall = json("""
                {"messages": [{"role": "user", "content": "Go"},
                   {"role": "tool", "tool_call_id": "nobody", "content": "42"}]}""");

        TranslationRefused arguments = assertThrows(TranslationRefused.class, () -> translator.request(badArguments, "g"));
        TranslationRefused call = assertThrows(TranslationRefused.class, () -> translator.request(unknownCall, "g"));

        assertEquals("invalid_value", translator.error(400, arguments.upstreamErrorBody()).path("error").path("code").asText());
        assertTrue(arguments.getMessage().contains("messages[1].tool_calls[0]"), arguments.getMessage());
        assertTrue(call.getMessage().contains("'nobody'"), call.getMessage());
    }

    @Test
    void toolsBecomeFunctionDeclarationsWithTheirJsonSchemaAndToolChoiceATooConfig() {
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": "hi"}], "parallel_tool_calls": false,
                 "tools": [{"type": "function", "function": {"name": "weather", "description": "The weather",
                    "strict": true, "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                    "required": ["city"], "additionalProperties": false}}}],
                 "tool_choice": {"type": "function", "function": {"name": "weather"}}}""");

        ObjectNode gemini = translated(chat);

        assertJson("""
                [{"functionDeclarations": [{"name": "weather", "description": "The weather",
                   "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}},
                      "required": ["city"], "additionalProperties": false}}]}]""", gemini.get("tools"));
        assertJson("{\"functionCallingConfig\": {\"mode\": \"ANY\", \"allowedFunctionNames\": [\"weather\"]}}",
                gemini.get("toolConfig"));
        for (String[] choice : new String[][] {{"\"auto\"", "AUTO"}, {"\"none\"", "NONE"}, {"\"required\"", "ANY"}}) {
            chat.set("tool_choice", json("{\"c\": " + choice[0] + "}").get("c"));
            assertEquals(choice[1], translated(chat).path("toolConfig").path("functionCallingConfig").path("mode").asText());
        }
    }

    @Test
    void samplingLimitsStopsAndStructuredOutputBecomeTheGenerationConfig() {
        ObjectNode chat = json("""
                {"messages": [{"role": "user", "content": "hi"}], "temperature": 0.3, "top_p": 0.9, "top_k": 40,
                 "max_tokens": 100, "max_completion_tokens": 200, "stop": "END", "presence_penalty": 0.5,
                 "frequency_penalty": -0.5, "seed": 7,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "r", "strict": true,
                    "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}}}""");

        assertJson("""
                {"temperature": 0.3, "topP": 0.9, "topK": 40, "maxOutputTokens": 200, "stopSequences": ["END"],
                 "presencePenalty": 0.5, "frequencyPenalty": -0.5, "seed": 7, "responseMimeType": "application/json",
                 "responseJsonSchema": {"type": "object", "properties": {"a": {"type": "integer"}}}}""",
                translated(chat).get("generationConfig"));
        chat.set("response_format", json("{\"type\": \"json_object\"}"));
        chat.set("stop", json("{\"s\": [\"a\", \"b\"]}").get("s"));
        JsonNode config = translated(chat).get("generationConfig");
        assertEquals("application/json", config.path("responseMimeType").asText());
        assertFalse(config.has("responseJsonSchema"));
        assertJson("[\"a\", \"b\"]", config.get("stopSequences"));
    }

    @Test
    void reasoningEffortBecomesAThinkingBudgetThatShowsItsThoughts() {
        ObjectNode chat = json("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"reasoning_effort\": \"high\"}");

        assertJson("{\"thinkingBudget\": " + SETTINGS.highThinkingBudget() + ", \"includeThoughts\": true}",
                translated(chat).path("generationConfig").get("thinkingConfig"));
        chat.put("reasoning_effort", "low");
        assertEquals(SETTINGS.lowThinkingBudget(),
                translated(chat).path("generationConfig").path("thinkingConfig").path("thinkingBudget").asInt());
        chat.put("reasoning_effort", "none");
        assertJson("{\"thinkingBudget\": 0}", translated(chat).path("generationConfig").get("thinkingConfig"));
    }

    /** The translation, checked to leave its argument as it was and to write only fields Gemini knows. */
    private ObjectNode translated(ObjectNode chat) {
        ObjectNode untouched = chat.deepCopy();
        ObjectNode gemini = translator.request(chat, "gemini-2.5-flash");
        GoldenFiles.assertJson(untouched, chat);
        for (Iterator<String> names = gemini.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(GEMINI_REQUEST_FIELDS.contains(name), "Gemini rejects the field " + name);
        }
        return gemini;
    }

    static ObjectNode json(String text) {
        return (ObjectNode) parse(text);
    }

    static JsonNode parse(String text) {
        try {
            return GoldenFiles.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static void assertJson(String expected, JsonNode actual) {
        GoldenFiles.assertJson(parse(expected), actual);
    }
}
