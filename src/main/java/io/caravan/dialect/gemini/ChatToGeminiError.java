package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.UpstreamErrorBody;

/**
 * Upstream errors of the common model's side for a Gemini caller, as Google's error object
 * ({@link GeminiDialect#errorBody(int, String, java.time.Duration)}): the HTTP status kept, its Google status name
 * added, and the upstream's message: an OpenAI-shaped error's {@code error.message}, the text of other JSON errors
 * ({@code {"error": "…"}}, {@code {"message": …}}, {@code {"detail": …}}), the title of an HTML page (never the page
 * itself), or the body's text, whitespace collapsed and cut at {@value #MAX_MESSAGE_LENGTH} characters.
 */
final class ChatToGeminiError {

    private static final String MID_STREAM = "The upstream reported an error in the middle of the answer";

    ObjectNode translate(int status, String upstreamBody) {
        return GeminiDialect.errorBody(status, message(status, upstreamBody), null);
    }

    /** The Gemini error chunk for the {@code error} of a Chat stream chunk, its status told by the error's type. */
    static ObjectNode streamError(JsonNode chatError) {
        String message = chatError != null && chatError.isTextual()
                ? UpstreamErrorBody.fromErrorObject(chatError).message()
                : JsonTrees.text(chatError, ChatWire.ERROR_MESSAGE);
        return GeminiDialect.errorBody(status(chatError), JsonTrees.isEmpty(message) ? MID_STREAM : message, null);
    }

    /** The HTTP status an OpenAI error type (or code) stands for; a server error when it names none the gateway knows. */
    private static int status(JsonNode chatError) {
        String type = JsonTrees.text(chatError, ChatWire.ERROR_TYPE);
        String code = JsonTrees.scalarText(chatError, ChatWire.ERROR_CODE);
        if ("rate_limit_error".equals(type) || "rate_limit_exceeded".equals(code) || "429".equals(code)) {
            return 429;
        }
        if ("overloaded_error".equals(type) || "503".equals(code)) {
            return 503;
        }
        return switch (type == null ? "" : type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            default -> 500;
        };
    }

    private static String message(int status, String body) {
        return UpstreamErrorBody.parse(status, body).message();
    }
}
