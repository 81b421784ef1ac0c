package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class GeminiToChatErrorTest {

    private final GeminiToChatError errors = new GeminiToChatError();

    @Test
    void aRateLimitKeepsGooglesMessageWithOpenAisTypeAndCode() {
        String body = """
                {"error": {"code": 429, "message": "You exceeded your current quota. Please retry in 17.4s.",
                  "status": "RESOURCE_EXHAUSTED", "details": [
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "17s"}]}}""";

        assertJson("""
                {"error": {"message": "You exceeded your current quota. Please retry in 17.4s.",
                  "type": "rate_limit_error", "param": null, "code": "rate_limit_exceeded"}}""",
                errors.translate(429, body));
    }

    /** Google answers a bad key with a 400 whose ErrorInfo names it: OpenAI's callers know that as invalid_api_key. */
    @Test
    void aKeyGoogleDoesNotKnowIsInvalidApiKey() {
        String body = """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}""";

        JsonNode error = errors.translate(400, body).path("error");

        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("invalid_api_key", error.path("code").asText());
    }

    @Test
    void otherStatusesKeepGooglesStatusNameAsTheCode() {
        assertEquals("invalid_argument", code(400, "INVALID_ARGUMENT"));
        assertEquals("permission_denied", code(403, "PERMISSION_DENIED"));
        assertEquals("model_not_found", code(404, "NOT_FOUND"));
        assertEquals("invalid_api_key", code(401, "UNAUTHENTICATED"));
        assertEquals("unavailable", code(503, "UNAVAILABLE"));
        assertEquals("server_error", errors.translate(503, body(503, "UNAVAILABLE")).path("error").path("type").asText());
        assertEquals("internal", code(500, "INTERNAL"));
    }

    @Test
    void bodiesThatAreNoGoogleErrorStillSaySomethingShort() {
        JsonNode html = errors.translate(502, "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>");
        JsonNode empty = errors.translate(503, "");
        JsonNode text = errors.translate(500, "x".repeat(2000));
        JsonNode array = errors.translate(400, "[" + body(400, "INVALID_ARGUMENT") + "]");

        assertEquals("upstream returned HTTP 502: 502 Bad Gateway", html.path("error").path("message").asText());
        assertEquals("unavailable", html.path("error").path("code").asText());
        assertEquals("upstream returned HTTP 503 with an empty body", empty.path("error").path("message").asText());
        assertEquals(501, text.path("error").path("message").asText().length());
        assertTrue(text.path("error").path("message").asText().endsWith("…"));
        assertEquals("Bad things", array.path("error").path("message").asText());
        assertFalse(html.path("error").path("message").asText().contains("<"));
    }

    private String code(int status, String googleStatus) {
        return errors.translate(status, body(status, googleStatus)).path("error").path("code").asText();
    }

    private static String body(int status, String googleStatus) {
        return "{\"error\": {\"code\": " + status + ", \"message\": \"Bad things\", \"status\": \"" + googleStatus + "\"}}";
    }
}
