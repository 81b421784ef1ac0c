package io.caravan.relay;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamTranslator;
import java.util.List;

/**
 * Same-dialect streaming: every upstream event goes to the caller unchanged. What it adds is the guarantee of a
 * proper ending (the dialect's {@link StreamEnding} tells what that is): a stream that finished its answer but
 * omitted its terminator (OpenAI's {@code [DONE]}) gets one, and a stream that stops before its answer is complete
 * ends with an in-band error instead of looking finished.
 */
public final class PassthroughStream implements StreamTranslator {

    private static final String ENDED_EARLY = "The upstream ended the stream before the answer was complete";

    private final Dialect dialect;
    private final StreamEnding ending;
    private final String requestId;
    private boolean answerFinished;
    private boolean closed;

    public PassthroughStream(Dialect dialect, String requestId) {
        this.dialect = dialect;
        this.ending = dialect.streamEnding();
        this.requestId = requestId;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (closed) {
            return List.of();
        }
        if (ending.closes(event)) {
            closed = true;
        } else if (!answerFinished && ending.finishesAnswer(event)) {
            answerFinished = true;
        }
        return List.of(event);
    }

    @Override
    public List<SseEvent> onEnd() {
        if (closed) {
            return List.of();
        }
        closed = true;
        if (answerFinished) {
            // A dialect without a terminator (Gemini) ends with its finished answer; the others get theirs added.
            SseEvent terminator = ending.terminator();
            return terminator == null ? List.of() : List.of(terminator);
        }
        return List.of(DialectErrors.streamEvent(dialect, 502, ENDED_EARLY, requestId));
    }
}
