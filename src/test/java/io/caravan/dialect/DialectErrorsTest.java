package io.caravan.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.anthropic.AnthropicDialect;
import io.caravan.dialect.openai.OpenAiDialect;
import io.caravan.dialects.Dialects;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialectErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return JSON.readTree(bytes);
    }

    // ---------------------------------------------------------------- shapes

    @Test
    void anthropicBodyHasTheExactShape() throws Exception {
        byte[] body = DialectErrors.body(Dialects.ANTHROPIC, 429, "Slow down", "req_123");

        assertEquals(json("""
                {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_123"}
                """), json(body));
    }

    @Test
    void anthropicBodyWithoutRequestIdHasNoRequestIdField() throws Exception {
        byte[] body = DialectErrors.body(Dialects.ANTHROPIC, 404, "No such model", null);

        assertEquals(json("""
                {"type":"error","error":{"type":"not_found_error","message":"No such model"}}
                """), json(body));
    }

    @Test
    void anthropicBodyIgnoresAnOpenAiCode() throws Exception {
        byte[] body = DialectErrors.body(Dialects.ANTHROPIC, 404, "No such model", "model_not_found", "req_1");

        assertEquals(json("""
                {"type":"error","error":{"type":"not_found_error","message":"No such model"},"request_id":"req_1"}
                """), json(body));
    }

    @Test
    void openAiBodyHasTheExactShapeWithNullParamAndCode() throws Exception {
        byte[] body = DialectErrors.body(Dialects.OPENAI, 429, "Slow down", "req_123");

        assertEquals(json("""
                {"error":{"message":"Slow down","type":"rate_limit_error","param":null,"code":null}}
                """), json(body));
    }

    @Test
    void openAiBodyCarriesACode() throws Exception {
        byte[] body = DialectErrors.body(Dialects.OPENAI, 404, "The model 'x' does not exist", "model_not_found", "r");

        assertEquals(json("""
                {"error":{"message":"The model 'x' does not exist","type":"not_found_error","param":null,
                          "code":"model_not_found"}}
                """), json(body));
    }

    @Test
    void messagesAreEscapedProperly() throws Exception {
        String message = "bad \"quote\" \\ backslash\nnew line, ünïcödé, </script>";

        JsonNode anthropic = json(DialectErrors.body(Dialects.ANTHROPIC, 400, message, null));
        JsonNode openAi = json(DialectErrors.body(Dialects.OPENAI, 400, message, null));

        assertEquals(message, anthropic.path("error").path("message").textValue());
        assertEquals(message, openAi.path("error").path("message").textValue());
    }

    @Test
    void theBodyIsUtf8() {
        byte[] body = DialectErrors.body(Dialects.OPENAI, 500, "€", null);
        String text = new String(body, StandardCharsets.UTF_8);

        assertEquals("{\"error\":{\"message\":\"€\",\"type\":\"server_error\",\"param\":null,\"code\":null}}", text);
    }

    @Test
    void nodeMatchesBody() throws Exception {
        assertEquals(json(DialectErrors.body(Dialects.ANTHROPIC, 529, "busy", "model_not_found", "req_9")),
                DialectErrors.node(Dialects.ANTHROPIC, 529, "busy", "model_not_found", "req_9"));
    }

    // ---------------------------------------------------------------- stream events

    @Test
    void anAnthropicStreamErrorIsAnErrorEvent() throws Exception {
        SseEvent event = DialectErrors.streamEvent(Dialects.ANTHROPIC, 529, "Overloaded", "req_5");

        assertEquals("error", event.event());
        assertEquals(json("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_5"}
                """), json(event.data()));
        assertEquals("event: error\ndata: " + event.data() + "\n\n",
                new String(event.toWire(), StandardCharsets.UTF_8));
    }

    @Test
    void anOpenAiStreamErrorIsAnUnnamedDataChunkWithAnErrorKey() throws Exception {
        SseEvent event = DialectErrors.streamEvent(Dialects.OPENAI, 502, "Upstream broke off", "req_5");

        assertNull(event.event());
        assertEquals(json("""
                {"error":{"message":"Upstream broke off","type":"server_error","param":null,"code":null}}
                """), json(event.data()));
        assertFalse(event.data().contains("\n"), "one data line");
        assertEquals("data: " + event.data() + "\n\n", new String(event.toWire(), StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- status → type

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        // the table in wire-formats.md
        "400, invalid_request_error",
        "401, authentication_error",
        "402, billing_error",
        "403, permission_error",
        "404, not_found_error",
        "413, request_too_large",
        "429, rate_limit_error",
        "500, api_error",
        "504, timeout_error",
        "529, overloaded_error",
        // the rest: client errors are the caller's request, server errors the API's
        "405, invalid_request_error",
        "415, invalid_request_error",
        "422, invalid_request_error",
        "408, invalid_request_error",
        "502, api_error",
        "503, api_error",
    })
    void anthropicTypes(int status, String type) throws Exception {
        assertEquals(type, AnthropicDialect.errorType(status));
        assertEquals(type, json(DialectErrors.body(Dialects.ANTHROPIC, status, "m", null)).path("error").path("type").asText());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "400, invalid_request_error",
        "401, authentication_error",
        "403, permission_error",
        "404, not_found_error",
        "413, invalid_request_error",
        "422, invalid_request_error",
        "429, rate_limit_error",
        "500, server_error",
        "502, server_error",
        "503, server_error",
        "504, server_error",
        "529, server_error",
    })
    void openAiTypes(int status, String type) throws Exception {
        assertEquals(type, OpenAiDialect.errorType(status));
        assertEquals(type, json(DialectErrors.body(Dialects.OPENAI, status, "m", null)).path("error").path("type").asText());
    }
}
