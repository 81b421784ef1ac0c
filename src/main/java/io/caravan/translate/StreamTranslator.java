package io.caravan.translate;

import io.caravan.dialect.SseEvent;
import java.util.List;

/**
 * A state machine that turns one upstream stream into the caller's dialect, fed one upstream event at a time.
 * One instance serves exactly one streamed answer and is not thread-safe.
 */
public interface StreamTranslator {

    /** The caller-dialect events produced by one upstream event (possibly none). */
    List<SseEvent> onEvent(SseEvent upstreamEvent);

    /**
     * The upstream stream ended normally; returns whatever closing events the caller still needs (for example
     * {@code message_delta}/{@code message_stop}, or the final usage chunk and {@code [DONE]}), and nothing if the
     * stream was already closed properly.
     */
    List<SseEvent> onEnd();
}
