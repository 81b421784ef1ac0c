package io.caravan.bench.target;

/**
 * How a caller recognises the event that ends a complete stream: by its first line (OpenAI's {@code data: [DONE]},
 * Anthropic's and Responses' named events) or by a text anywhere in it (Gemini has no terminator: the chunk that
 * carries a {@code finishReason} is the last).
 */
public record StreamEnd(String marker, boolean anywhere) {
    public static StreamEnd eventStartingWith(String firstLine) {
        return new StreamEnd(firstLine, false);
    }

    public static StreamEnd eventContaining(String text) {
        return new StreamEnd(text, true);
    }

    /** For error messages: what the stream lacked. */
    public String describe() {
        return (anywhere ? "an event containing " : "an event starting with ") + marker;
    }
}
