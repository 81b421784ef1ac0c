package io.caravan.bench.target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API dialects a caller speaks: where a request goes, which headers and body it carries, how its stream ends.
 */
public enum Dialect {
    OPENAI("openai", "/v1/chat/completions", StreamEnd.eventStartingWith("data: [DONE]")),
    ANTHROPIC("anthropic", "/v1/messages", StreamEnd.eventStartingWith("event: message_stop")),
    RESPONSES("responses", "/v1/responses", StreamEnd.eventStartingWith("event: response.completed")),
    GEMINI("gemini", "/v1beta/models/", StreamEnd.eventContaining("\"finishReason\""));

    /** The two dialects of issue 4's same-dialect and translated scenarios (each also a credential kind). */
    public static final List<Dialect> CHAT_AND_MESSAGES = List.of(OPENAI, ANTHROPIC);

    private static final String PROMPT = "Say hello to the benchmark.";

    private final String label;
    private final String path;
    private final StreamEnd streamEnd;

    Dialect(String label, String path, StreamEnd streamEnd) {
        this.label = label;
        this.path = path;
        this.streamEnd = streamEnd;
    }

    public String label() {
        return label;
    }

    /**
     * The request path. Gemini names the model and whether it streams in the path (streams as SSE, as the SDKs and
     * Gemini CLI ask); the others in the body.
     */
    public String path(String model, boolean stream) {
        if (this == GEMINI) {
            return path + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        }
        return path;
    }

    /** How a stream in this dialect ends. */
    public StreamEnd streamEnd() {
        return streamEnd;
    }

    /**
     * The request headers, in the order they are sent: content type, the key as the dialect's own clients send it
     * (Gemini's in x-goog-api-key; no key header when apiKey is null), Anthropic's version header.
     */
    public Map<String, String> headers(String apiKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (apiKey != null) {
            if (this == GEMINI) {
                headers.put("x-goog-api-key", apiKey);
            } else {
                headers.put("Authorization", "Bearer " + apiKey);
            }
        }
        if (this == ANTHROPIC) {
            headers.put("anthropic-version", "2023-06-01");
        }
        return headers;
    }

    /**
     * A small, valid request body for the model, non-stream or stream. The Responses one is shaped as Codex CLI
     * sends it: a message item with input_text content, and store:false, so the gateway keeps no copy. The Gemini one
     * carries neither model nor stream (both are in its path).
     */
    public String requestBody(String model, boolean stream) {
        String streamField = stream ? ",\"stream\":true" : "";
        return switch (this) {
            case RESPONSES -> "{\"model\":\"" + model + "\",\"max_output_tokens\":256,\"store\":false,\"input\":[{"
                    + "\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\""
                    + PROMPT + "\"}]}]" + streamField + "}";
            case GEMINI -> "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + PROMPT + "\"}]}],"
                    + "\"generationConfig\":{\"maxOutputTokens\":256}}";
            case OPENAI, ANTHROPIC -> "{\"model\":\"" + model + "\",\"max_tokens\":256,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"" + PROMPT + "\"}]" + streamField + "}";
        };
    }

    /** True when a non-stream answer body has this dialect's shape. */
    public boolean looksLikeAnswer(String body) {
        return switch (this) {
            case OPENAI -> body.contains("\"choices\"") && body.contains("chat.completion");
            case ANTHROPIC -> body.contains("\"type\":\"message\"") || body.contains("\"type\": \"message\"");
            case RESPONSES -> body.replace(" ", "").contains("\"object\":\"response\"")
                    && body.replace(" ", "").contains("\"status\":\"completed\"");
            case GEMINI -> body.contains("\"candidates\"");
        };
    }
}
