package io.caravan.relay;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.SseEvent;
import io.caravan.translate.StreamTranslator;
import java.util.List;

/**
 * Same-dialect streaming: every upstream event goes to the caller unchanged. What it adds is the guarantee of a
 * proper ending: an OpenAI stream that finished its answer but omitted {@code [DONE]} gets one, and a stream that
 * stops before its answer is complete ends with an in-band error instead of looking finished.
 */
public final class PassthroughStream implements StreamTranslator {

    private static final String DONE = "[DONE]";

    private final Dialect dialect;
    private final String requestId;
    private boolean answerFinished;
    private boolean closed;

    public PassthroughStream(Dialect dialect, String requestId) {
        this.dialect = dialect;
        this.requestId = requestId;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (closed) {
            return List.of();
        }
        if (dialect == Dialect.OPENAI) {
            if (DONE.equals(event.data())) {
                closed = true;
            } else if (event.data().contains("\"finish_reason\":\"") || event.data().contains("\"finish_reason\": \"")) {
                answerFinished = true;
            }
        } else if ("message_stop".equals(event.event()) || "error".equals(event.event())) {
            closed = true;
        }
        return List.of(event);
    }

    @Override
    public List<SseEvent> onEnd() {
        if (closed) {
            return List.of();
        }
        closed = true;
        if (dialect == Dialect.OPENAI && answerFinished) {
            return List.of(SseEvent.data(DONE));
        }
        return List.of(DialectErrors.streamEvent(dialect, 502, "The upstream ended the stream before the answer was complete",
                requestId));
    }
}
