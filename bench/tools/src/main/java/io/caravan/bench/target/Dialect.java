package io.caravan.bench.target;

/** The two API dialects: where a request goes, what its body looks like, how its stream ends. */
public enum Dialect {
    OPENAI("openai", "/v1/chat/completions", "data: [DONE]"),
    ANTHROPIC("anthropic", "/v1/messages", "event: message_stop");

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

    /** A small, valid request body for the model, non-stream or stream. */
    public String requestBody(String model, boolean stream) {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the benchmark.\"}]";
        String streamField = stream ? ",\"stream\":true" : "";
        return "{\"model\":\"" + model + "\",\"max_tokens\":256," + messages + streamField + "}";
    }

    /** True when a non-stream answer body has this dialect's shape. */
    public boolean looksLikeAnswer(String body) {
        return this == OPENAI
                ? body.contains("\"choices\"") && body.contains("chat.completion")
                : body.contains("\"type\":\"message\"") || body.contains("\"type\": \"message\"");
    }
}
