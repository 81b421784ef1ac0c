package io.caravan.dialect.gemini;

/**
 * Gemini's {@code finishReason} against the common model's {@code finish_reason}, both ways. Gemini has no reason for
 * "stopped to call a tool": it says {@code STOP} with {@code functionCall} parts, so the caller of each direction
 * tells whether the answer calls tools.
 */
final class GeminiFinishReasons {

    static final String STOP = "STOP";
    static final String MAX_TOKENS = "MAX_TOKENS";
    static final String SAFETY = "SAFETY";
    static final String OTHER = "OTHER";
    static final String MALFORMED_FUNCTION_CALL = "MALFORMED_FUNCTION_CALL";

    private GeminiFinishReasons() {
    }

    /**
     * The common model's reason for a Gemini one.
     *
     * @param callsTools whether the candidate's parts call functions
     */
    static String toChat(String finishReason, boolean callsTools) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case STOP -> callsTools ? "tool_calls" : "stop";
            case MAX_TOKENS -> "length";
            // Every reason that means "the provider's filters withheld the answer".
            case SAFETY, "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> "content_filter";
            default -> callsTools ? "tool_calls" : "stop";
        };
    }

    /** Gemini's reason for one of the common model's; {@code null} stays {@code null} (the answer is not finished). */
    static String toGemini(String finishReason) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "length" -> MAX_TOKENS;
            case "content_filter" -> SAFETY;
            // "stop", "tool_calls", "function_call" and anything an OpenAI-compatible server invents.
            default -> STOP;
        };
    }
}
