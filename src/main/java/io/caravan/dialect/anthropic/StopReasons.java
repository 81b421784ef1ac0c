package io.caravan.dialect.anthropic;

/** Anthropic {@code stop_reason} and OpenAI {@code finish_reason}, mapped both ways. */
final class StopReasons {

    private StopReasons() {
    }

    /** The OpenAI finish_reason for an Anthropic stop_reason; a missing reason is a normal stop. */
    static String toOpenAi(String anthropicStopReason) {
        if (anthropicStopReason == null) {
            return "stop";
        }
        return switch (anthropicStopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            // end_turn, stop_sequence, pause_turn (a server tool paused the turn: the answer so far is complete)
            default -> "stop";
        };
    }

    /**
     * The Anthropic stop_reason for an OpenAI finish_reason. OpenAI does not say whether "stop" came from a stop
     * sequence, so it is always end_turn.
     */
    static String toAnthropic(String openAiFinishReason) {
        if (openAiFinishReason == null) {
            return AnthropicWire.STOP_END_TURN;
        }
        return switch (openAiFinishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> AnthropicWire.STOP_END_TURN;
        };
    }
}
