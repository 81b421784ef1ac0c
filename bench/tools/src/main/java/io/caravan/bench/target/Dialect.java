package io.caravan.bench.target;

import java.util.List;

/** The API dialects a caller speaks: where a request goes, what its body looks like, how its stream ends. */
public enum Dialect {
    OPENAI("openai", "/v1/chat/completions", "data: [DONE]"),
    ANTHROPIC("anthropic", "/v1/messages", "event: message_stop"),
    RESPONSES("responses", "/v1/responses", "event: response.completed");

    /** The two dialects of issue 4's same-dialect and translated scenarios (each also a credential kind). */
    public static final List<Dialect> CHAT_AND_MESSAGES = List.of(OPENAI, ANTHROPIC);

    private static final String PROMPT = "Say hello to the benchmark.";

    private final String label;
    private final String path;
    private final String endOfStream;

    Dialect(String label, String path, String endOfStream) {
        this.label = label;
        this.path = path;
        this.endOfStream = endOfStream;
    }

    public String label() {
        return label;
    }

    public String path() {
        return path;
    }

    /** The start of the SSE event that ends a complete stream in this dialect. */
    public String endOfStream() {
        return endOfStream;
    }

    /**
     * A small, valid request body for the model, non-stream or stream. The Responses one is shaped as Codex CLI
     * sends it: a message item with input_text content, and store:false, so the gateway keeps no copy.
     */
    public String requestBody(String model, boolean stream) {
        String streamField = stream ? ",\"stream\":true" : "";
        if (this == RESPONSES) {
            return "{\"model\":\"" + model + "\",\"max_output_tokens\":256,\"store\":false,\"input\":[{\"type\":"
                    + "\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + PROMPT
                    + "\"}]}]" + streamField + "}";
        }
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]";
        return "{\"model\":\"" + model + "\",\"max_tokens\":256," + messages + streamField + "}";
    }

    /** True when a non-stream answer body has this dialect's shape. */
    public boolean looksLikeAnswer(String body) {
        return switch (this) {
            case OPENAI -> body.contains("\"choices\"") && body.contains("chat.completion");
            case ANTHROPIC -> body.contains("\"type\":\"message\"") || body.contains("\"type\": \"message\"");
            case RESPONSES -> body.replace(" ", "").contains("\"object\":\"response\"")
                    && body.replace(" ", "").contains("\"status\":\"completed\"");
        };
    }
}
