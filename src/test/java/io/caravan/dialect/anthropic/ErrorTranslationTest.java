package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorTranslationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overloaded-529", "rate-limit-429", "invalid-request-400", "not-found-404",
            "unknown-type-403", "html-502", "empty-503", "plain-text-500"})
    void anthropicErrorsReachOpenAiCallersAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("error/anthropic-to-openai/" + name);

        JsonNode actual = new AnthropicToOpenAiError().translate(golden.get("status").asInt(), Golden.rawInput(golden));

        GoldenFiles.assertJson(golden.get("expected"), actual);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rate-limit-429", "context-length-400", "auth-401", "html-504", "html-without-title-502",
            "detail-422", "gemini-array-400", "overloaded-503"})
    void openAiErrorsReachAnthropicCallersAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("error/openai-to-anthropic/" + name);

        JsonNode actual = new OpenAiToAnthropicError().translate(golden.get("status").asInt(), Golden.rawInput(golden));

        GoldenFiles.assertJson(golden.get("expected"), actual);
    }

    @Test
    void aLongPlainTextBodyIsCutShort() {
        String body = "x".repeat(5000);

        String message = new OpenAiToAnthropicError().translate(500, body).get("error").get("message").textValue();

        assertEquals(501, message.length());
        assertTrue(message.endsWith("…"));
    }

    @Test
    void anHtmlPageIsNeverPassedOnWhole() {
        String page = "<!DOCTYPE html><html><head><style>.a{}</style></head><body><p>nothing useful</p></body></html>";

        String message = new AnthropicToOpenAiError().translate(502, page).get("error").get("message").textValue();

        assertEquals("upstream returned HTTP 502 with an HTML error page", message);
        assertFalse(message.contains("<"));
    }
}
