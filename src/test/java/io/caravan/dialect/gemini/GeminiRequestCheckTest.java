package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiRequestCheckTest {

    private static final String USER_HI = "{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}";

    /** What Gemini CLI sends on a turn that continues a tool call (its default config, thinking, tools). */
    @Test
    void aGeminiCliTurnIsServedByAnyCredential() {
        Refusal refusal = GeminiRequestCheck.refusal(Json.map("""
                {"model": "gemini-2.5-pro", "stream": true,
                 "systemInstruction": {"role": "user", "parts": [{"text": "You are an agent."}]},
                 "contents": [
                   {"role": "user", "parts": [{"text": "List files"}]},
                   {"role": "model", "parts": [{"text": "Sure.", "thoughtSignature": "c2ln"},
                     {"functionCall": {"id": "ls_1", "name": "list_directory", "args": {"path": "."}}}]},
                   {"role": "user", "parts": [{"functionResponse": {"id": "ls_1", "name": "list_directory",
                     "response": {"output": "a.txt"}}}]}],
                 "tools": [{"functionDeclarations": [{"name": "list_directory", "parametersJsonSchema": {"type": "object"}}]}],
                 "safetySettings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "OFF"}],
                 "generationConfig": {"temperature": 1, "topP": 0.95, "topK": 64, "candidateCount": 1,
                   "thinkingConfig": {"includeThoughts": true, "thinkingBudget": 8192},
                   "responseMimeType": "application/json", "responseModalities": ["TEXT"]}}
                """), false);

        assertNull(refusal, () -> refusal.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "candidate count    | \"generationConfig\": {\"candidateCount\": 2}                   | candidateCount",
            "log probabilities  | \"generationConfig\": {\"responseLogprobs\": true}              | responseLogprobs",
            "speech             | \"generationConfig\": {\"speechConfig\": {}}                    | speechConfig",
            "image answers      | \"generationConfig\": {\"responseModalities\": [\"TEXT\", \"IMAGE\"]} | IMAGE",
            "enum answers       | \"generationConfig\": {\"responseMimeType\": \"text/x.enum\"}   | text/x.enum",
            "unknown level      | \"generationConfig\": {\"thinkingConfig\": {\"thinkingLevel\": \"ULTRA\"}} | ULTRA",
            "cached content     | \"cachedContent\": \"cachedContents/abc\"                       | cachedContent",
            "google search      | \"tools\": [{\"googleSearch\": {}}]                             | googleSearch",
            "code execution     | \"tools\": [{\"functionDeclarations\": [], \"codeExecution\": {}}] | codeExecution",
            "url context        | \"tools\": [{\"urlContext\": {}}]                               | urlContext"})
    void whatOnlyGeminiCanServeIsRefusedByName(String what, String field, String named) {
        Refusal refusal = GeminiRequestCheck.refusal(Json.map("{\"contents\": [" + USER_HI + "], " + field + "}"), false);

        assertNotNull(refusal, what);
        assertTrue(refusal.message().contains(named), refusal.message());
        assertTrue(refusal.message().contains("Gemini"), refusal.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "video              | {\"inlineData\": {\"mimeType\": \"video/mp4\", \"data\": \"AAAA\"}}                      | video/mp4",
            "ogg audio          | {\"inlineData\": {\"mimeType\": \"audio/ogg\", \"data\": \"AAAA\"}}                      | audio/ogg",
            "uploaded file      | {\"fileData\": {\"mimeType\": \"image/png\", \"fileUri\": \"https://generativelanguage.googleapis.com/v1beta/files/abc\"}} | fileUri",
            "gcs file           | {\"fileData\": {\"mimeType\": \"application/pdf\", \"fileUri\": \"gs://bucket/a.pdf\"}} | fileUri",
            "video by url       | {\"fileData\": {\"mimeType\": \"video/mp4\", \"fileUri\": \"https://youtu.be/x\"}}       | fileUri",
            "executable code    | {\"executableCode\": {\"language\": \"PYTHON\", \"code\": \"1\"}}                       | executableCode",
            "code result        | {\"codeExecutionResult\": {\"outcome\": \"OUTCOME_OK\"}}                              | codeExecutionResult",
            "returned video     | {\"functionResponse\": {\"name\": \"f\", \"response\": {}, \"parts\": [{\"inlineData\": {\"mimeType\": \"video/mp4\", \"data\": \"AA\"}}]}} | video/mp4"})
    void mediaAndPartsTheCommonModelHasNoPartForAreRefused(String what, String part, String named) {
        Refusal refusal = GeminiRequestCheck.refusal(Json.map(
                "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"look\"}, " + part + "]}]}"), false);

        assertNotNull(refusal, what);
        assertTrue(refusal.message().contains(named), refusal.message());
        assertTrue(refusal.message().contains("contents[0].parts[1]"), refusal.message());
    }

    @Test
    void mediaInAModelTurnOrTheSystemInstructionAndUnknownRolesAreRefused() {
        assertNotNull(GeminiRequestCheck.refusal(Json.map("""
                {"contents": [%s, {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png", "data": "AA"}}]}]}
                """.formatted(USER_HI)), false));
        assertNotNull(GeminiRequestCheck.refusal(Json.map("""
                {"systemInstruction": {"parts": [{"inlineData": {"mimeType": "image/png", "data": "AA"}}]}, "contents": [%s]}
                """.formatted(USER_HI)), false));
        assertNotNull(GeminiRequestCheck.refusal(Json.map("""
                {"contents": [{"role": "function", "parts": [{"text": "x"}]}]}
                """), false));
    }

    @Test
    void mediaTheCommonModelCarriesAreNotRefused() {
        assertNull(GeminiRequestCheck.refusal(Json.map("""
                {"contents": [{"role": "user", "parts": [
                  {"inlineData": {"mimeType": "image/webp", "data": "AA"}},
                  {"inlineData": {"mimeType": "application/pdf", "data": "AA"}},
                  {"inlineData": {"mimeType": "audio/mpeg", "data": "AA"}},
                  {"inlineData": {"mimeType": "text/markdown", "data": "AA"}},
                  {"fileData": {"fileUri": "data:image/png;base64,AA"}},
                  {"fileData": {"mimeType": "image/png", "fileUri": "https://example.com/a.png"}}]}]}
                """), false));
    }

    @Test
    void geminisOwnToolsPassWhenTheGatewayOmitsThem() {
        assertNull(GeminiRequestCheck.refusal(Json.map(
                "{\"contents\": [" + USER_HI + "], \"tools\": [{\"googleSearch\": {}}, {\"codeExecution\": {}}]}"), true));
    }
}
