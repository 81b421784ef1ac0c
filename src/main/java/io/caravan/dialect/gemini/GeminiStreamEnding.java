package io.caravan.dialect.gemini;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;

/**
 * A Gemini stream has no terminator: the chunk whose candidate carries a {@code finishReason} finishes the answer,
 * and the upstream then closes the response. An in-band error ({@code {"error": …}}) ends it too.
 */
final class GeminiStreamEnding implements StreamEnding {

    static final GeminiStreamEnding INSTANCE = new GeminiStreamEnding();

    private static final String FINISH_REASON = "\"" + GeminiWire.FINISH_REASON + "\"";
    private static final String ERROR_START = "{\"" + GeminiWire.ERROR + "\"";

    private GeminiStreamEnding() {
    }

    @Override
    public boolean closes(SseEvent event) {
        return event.data().startsWith(ERROR_START);
    }

    @Override
    public boolean finishesAnswer(SseEvent event) {
        return event.data().contains(FINISH_REASON);
    }

    @Override
    public SseEvent terminator() {
        return null;
    }
}
