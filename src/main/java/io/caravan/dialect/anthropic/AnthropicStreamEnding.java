package io.caravan.dialect.anthropic;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;

/**
 * An Anthropic stream ends with {@code event: message_stop} (or {@code event: error}); it has no separate
 * terminator, so a stream that stops before {@code message_stop} is unfinished.
 */
final class AnthropicStreamEnding implements StreamEnding {

    static final AnthropicStreamEnding INSTANCE = new AnthropicStreamEnding();

    private static final String MESSAGE_STOP = "message_stop";
    private static final String ERROR = "error";

    private AnthropicStreamEnding() {
    }

    @Override
    public boolean closes(SseEvent event) {
        return MESSAGE_STOP.equals(event.event()) || ERROR.equals(event.event());
    }

    @Override
    public boolean finishesAnswer(SseEvent event) {
        return false;
    }

    @Override
    public SseEvent terminator() {
        return null;
    }
}
