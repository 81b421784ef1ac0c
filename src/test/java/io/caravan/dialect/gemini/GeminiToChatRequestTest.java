package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiToChatRequestTest {

    private final GeminiCallerTranslator translator =
            new GeminiCallerTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    private ObjectNode translate(String gemini) {
        ObjectNode input = Json.object(gemini);
        ObjectNode untouched = input.deepCopy();
        ObjectNode chat = translator.request(input, "gpt-4.1");
        GoldenFiles.assertJson(untouched, input);
        return chat;
    }

    @Test
    void systemTextAndGenerationConfigMapFieldByFieldAndWhatOnlySteersGeminiIsLeftOut() {
        ObjectNode chat = translate("""
                {"model": "gemini-2.5-flash", "stream": false,
                 "systemInstruction": {"parts": [{"text": "Be brief."}, {"text": "Answer in French."}]},
                 "contents": [{"role": "user", "parts": [{"text": "Hello"}]}],
                 "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
                 "generationConfig": {"temperature": 0.7, "topP": 0.95, "topK": 64, "maxOutputTokens": 500,
                   "stopSequences": ["END", "", "STOP", "x", "y", "z"], "candidateCount": 1, "presencePenalty": 0.5,
                   "frequencyPenalty": -0.5, "seed": 42, "responseMimeType": "text/plain"}}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1",
                 "messages": [{"role": "system", "content": "Be brief.\\nAnswer in French."},
                              {"role": "user", "content": "Hello"}],
                 "temperature": 0.7, "top_p": 0.95, "max_completion_tokens": 500, "stop": ["END", "STOP", "x", "y"],
                 "presence_penalty": 0.5, "frequency_penalty": -0.5, "seed": 42}
                """), chat);
    }

    @Test
    void aStreamedRequestAsksForTheUsageChunk() {
        ObjectNode chat = translate("""
                {"model": "gemini-2.5-flash", "stream": true, "contents": [{"parts": [{"text": "Hi"}]}]}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hi"}],
                 "stream": true, "stream_options": {"include_usage": true}}
                """), chat);
    }

    @Test
    void mediaBecomeTheCommonModelsParts() {
        ObjectNode chat = translate("""
                {"model": "gemini-2.5-flash", "contents": [{"role": "user", "parts": [
                  {"text": "What is in these?"},
                  {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                  {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}},
                  {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}},
                  {"inlineData": {"mimeType": "text/plain", "data": "aGVsbG8gd29ybGQ="}},
                  {"fileData": {"mimeType": "image/jpeg", "fileUri": "data:image/jpeg;base64,/9j/4AAQ"}},
                  {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/cat.jpg"}}]}]}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "What is in these?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                  {"type": "file", "file": {"filename": "document.pdf", "file_data": "data:application/pdf;base64,JVBERi0="}},
                  {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
                  {"type": "text", "text": "hello world"},
                  {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]}]}
                """), chat);
    }

    @Test
    void functionDeclarationsBecomeToolsWithJsonSchemaParameters() {
        ObjectNode chat = translate("""
                {"model": "gemini-2.5-flash", "contents": [{"role": "user", "parts": [{"text": "Weather?"}]}],
                 "tools": [{"functionDeclarations": [
                   {"name": "get_weather", "description": "The weather of a city",
                    "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"},
                      "days": {"type": "INTEGER", "nullable": true}}, "required": ["city"]}},
                   {"name": "read_file", "parametersJsonSchema": {"type": "object",
                      "properties": {"path": {"type": "string"}}, "additionalProperties": false}}]},
                   {"functionDeclarations": [{"name": "now"}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}}}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1", "messages": [{"role": "user", "content": "Weather?"}],
                 "tools": [
                   {"type": "function", "function": {"name": "get_weather", "description": "The weather of a city",
                     "parameters": {"type": "object", "properties": {"city": {"type": "string"},
                       "days": {"type": ["integer", "null"]}}, "required": ["city"]}}},
                   {"type": "function", "function": {"name": "read_file", "parameters": {"type": "object",
                     "properties": {"path": {"type": "string"}}, "additionalProperties": false}}},
                   {"type": "function", "function": {"name": "now", "parameters": {"type": "object", "properties": {}}}}],
                 "tool_choice": "auto"}
                """), chat);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "AUTO      | []         | \"auto\"     | 2",
            "VALIDATED | []         | \"auto\"     | 2",
            "NONE      | []         | \"none\"     | 2",
            "ANY       | []         | \"required\" | 2",
            "ANY       | [\"b\"]    | {\"type\": \"function\", \"function\": {\"name\": \"b\"}} | 1"})
    void functionCallingModesBecomeToolChoice(String mode, String allowed, String choice, int tools) {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"role": "user", "parts": [{"text": "go"}]}],
                 "tools": [{"functionDeclarations": [{"name": "a"}, {"name": "b"}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "%s", "allowedFunctionNames": %s}}}
                """.formatted(mode, allowed));

        GoldenFiles.assertJson(Json.object("{\"c\": " + choice + "}").get("c"), chat.get("tool_choice"));
        assertEquals(tools, chat.get("tools").size());
    }

    @Test
    void anyWithSeveralAllowedFunctionsOffersOnlyThose() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"role": "user", "parts": [{"text": "go"}]}],
                 "tools": [{"functionDeclarations": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["a", "c"]}}}
                """);

        assertEquals("required", chat.get("tool_choice").asText());
        assertEquals("a", chat.at("/tools/0/function/name").asText());
        assertEquals("c", chat.at("/tools/1/function/name").asText());
        assertEquals(2, chat.get("tools").size());
    }

    @Test
    void aToolRoundTripWithIdsPairsEachResponseWithItsCall() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [
                  {"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
                  {"role": "model", "parts": [
                    {"functionCall": {"id": "c1", "name": "get_weather", "args": {"city": "Paris"}}},
                    {"functionCall": {"id": "c2", "name": "get_weather", "args": {"city": "Rome"}}}]},
                  {"role": "user", "parts": [
                    {"functionResponse": {"id": "c2", "name": "get_weather", "response": {"output": "Rain"}}},
                    {"functionResponse": {"id": "c1", "name": "get_weather", "response": {"temp": 21}}}]},
                  {"role": "model", "parts": [{"text": "Paris is sunny, "}, {"text": "Rome is rainy."}]}]}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1", "messages": [
                  {"role": "user", "content": "Weather in Paris and Rome?"},
                  {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                    {"id": "c2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
                  {"role": "tool", "tool_call_id": "c2", "content": "Rain"},
                  {"role": "tool", "tool_call_id": "c1", "content": "{\\"temp\\":21}"},
                  {"role": "assistant", "content": "Paris is sunny, Rome is rainy."}]}
                """), chat);
    }

    @Test
    void callsWithoutIdsGetTheirPositionsAndResponsesWithoutIdsAnswerTheEarliestCallOfTheirName() {
        String request = """
                {"model": "g", "contents": [
                  {"role": "user", "parts": [{"text": "Two cities, then the time"}]},
                  {"role": "model", "parts": [{"text": "Looking."},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
                    {"functionCall": {"name": "get_time"}},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}}]},
                  {"role": "user", "parts": [
                    {"functionResponse": {"name": "get_time", "response": {"output": "noon"}}},
                    {"functionResponse": {"name": "get_weather", "response": {"output": "Sun"}}},
                    {"functionResponse": {"id": "get_weather_17_2", "name": "get_weather", "response": {"output": "Rain"}}}]}]}
                """;
        ObjectNode chat = translate(request);

        GoldenFiles.assertJson(Json.object("""
                {"model": "gpt-4.1", "messages": [
                  {"role": "user", "content": "Two cities, then the time"},
                  {"role": "assistant", "content": "Looking.", "tool_calls": [
                    {"id": "call_gemini_1_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                    {"id": "call_gemini_1_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
                    {"id": "call_gemini_1_3", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_gemini_1_2", "content": "noon"},
                  {"role": "tool", "tool_call_id": "call_gemini_1_1", "content": "Sun"},
                  {"role": "tool", "tool_call_id": "call_gemini_1_3", "content": "Rain"}]}
                """), chat);
        GoldenFiles.assertJson(chat, translate(request));
    }

    @Test
    void mediaAFunctionReturnedFollowItsToolMessageInAUserMessage() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [
                  {"role": "user", "parts": [{"text": "Show me"}]},
                  {"role": "model", "parts": [{"functionCall": {"id": "r1", "name": "read_file", "args": {"path": "a.png"}}}]},
                  {"role": "user", "parts": [
                    {"functionResponse": {"id": "r1", "name": "read_file", "response": {"output": "Binary content provided (1 item(s))."},
                      "parts": [{"inlineData": {"mimeType": "image/png", "data": "iVBO"}}]}},
                    {"text": "Describe it"}]}]}
                """);

        GoldenFiles.assertJson(Json.object("""
                {"role": "tool", "tool_call_id": "r1", "content": "Binary content provided (1 item(s))."}
                """), chat.at("/messages/2"));
        GoldenFiles.assertJson(Json.object("""
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}},
                  {"type": "text", "text": "Describe it"}]}
                """), chat.at("/messages/3"));
        assertEquals(4, chat.get("messages").size());
    }

    @Test
    void thoughtsAndTheirSignatureGoBackAsReasoning() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [
                  {"role": "user", "parts": [{"text": "Plan"}]},
                  {"role": "model", "parts": [{"text": "Let me think.", "thought": true, "thoughtSignature": "sig-A"},
                    {"text": "Done."}]},
                  {"role": "user", "parts": [{"text": "And now?"}]},
                  {"role": "model", "parts": [
                    {"functionCall": {"id": "x", "name": "f", "args": {}}, "thoughtSignature": "sig-B"},
                    {"functionCall": {"id": "y", "name": "f", "args": {}}, "thoughtSignature": "sig-C"}]},
                  {"role": "user", "parts": [{"functionResponse": {"id": "x", "name": "f", "response": {}}},
                    {"functionResponse": {"id": "y", "name": "f", "response": {}}}]},
                  {"role": "model", "parts": [{"functionCall": {"id": "z", "name": "f", "args": {}},
                    "thoughtSignature": "skip_thought_signature_validator"}]}]}
                """);

        ObjectNode thought = (ObjectNode) chat.at("/messages/1");
        assertEquals("Done.", thought.get("content").asText(), thought.toString());
        assertEquals("Let me think.", thought.get("reasoning_content").asText());
        assertEquals("sig-A", thought.get("reasoning_signature").asText());
        ObjectNode calls = (ObjectNode) chat.at("/messages/3");
        assertEquals("sig-B", calls.get("reasoning_signature").asText(), calls.toString());
        assertEquals(false, calls.has("reasoning_content"));
        ObjectNode unsigned = (ObjectNode) chat.at("/messages/6");
        assertEquals(false, unsigned.has("reasoning_signature"), unsigned.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"thinkingBudget\": 0}                          | none",
            "{\"thinkingBudget\": -1, \"includeThoughts\": true} | medium",
            "{\"thinkingBudget\": 1024}                       | low",
            "{\"thinkingBudget\": 4096}                       | medium",
            "{\"thinkingBudget\": 8192}                       | high",
            "{\"thinkingLevel\": \"HIGH\"}                    | high",
            "{\"thinkingLevel\": \"low\"}                     | low",
            "{\"thinkingLevel\": \"MINIMAL\"}                 | minimal"})
    void thinkingConfigBecomesAReasoningEffort(String thinkingConfig, String effort) {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"thinkingConfig": %s}}
                """.formatted(thinkingConfig));

        assertEquals(effort, chat.path("reasoning_effort").asText(), chat.toString());
    }

    @Test
    void includeThoughtsAloneAsksNoEffort() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"parts": [{"text": "hi"}]}],
                 "generationConfig": {"thinkingConfig": {"includeThoughts": true}}}
                """);

        assertEquals(false, chat.has("reasoning_effort"), chat.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"responseMimeType\": \"application/json\" | {\"type\": \"json_object\"}",
            "\"responseMimeType\": \"application/json\", \"responseJsonSchema\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}"
                    + " | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"response\", \"schema\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}}}",
            "\"responseMimeType\": \"application/json\", \"responseSchema\": {\"type\": \"ARRAY\", \"items\": {\"type\": \"STRING\"}, \"maxItems\": \"3\"}"
                    + " | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"response\", \"schema\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"maxItems\": 3}}}"})
    void aJsonResponseTypeBecomesTheResponseFormat(String config, String format) {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {%s}}
                """.formatted(config));

        GoldenFiles.assertJson(Json.object(format), chat.get("response_format"));
    }

    @Test
    void geminisOwnToolsAreLeftOutWhenTheGatewayOmitsThem() {
        ObjectNode chat = translate("""
                {"model": "g", "contents": [{"parts": [{"text": "hi"}]}],
                 "tools": [{"googleSearch": {}}, {"functionDeclarations": [{"name": "f"}]}]}
                """);

        assertEquals(1, chat.get("tools").size(), chat.toString());
        assertEquals("f", chat.at("/tools/0/function/name").asText());
    }
}
