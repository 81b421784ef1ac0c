package io.caravan.dialect.responses;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import java.util.Set;

/**
 * A Responses stream ends with one of its terminal events, {@code response.completed}, {@code response.incomplete}
 * or {@code response.failed} (or a top-level {@code error}); it has no separate terminator, so a stream that stops
 * before one of them is unfinished. Read from the event name, without parsing the data.
 */
final class ResponsesStreamEnding implements StreamEnding {

    static final ResponsesStreamEnding INSTANCE = new ResponsesStreamEnding();

    private static final Set<String> TERMINAL = Set.of(ResponsesWire.EVENT_COMPLETED, ResponsesWire.EVENT_INCOMPLETE,
            ResponsesWire.EVENT_FAILED, ResponsesWire.EVENT_ERROR);

    private ResponsesStreamEnding() {
    }

    @Override
    public boolean closes(SseEvent event) {
        return event.event() != null && TERMINAL.contains(event.event());
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
