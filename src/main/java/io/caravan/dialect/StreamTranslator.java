package io.caravan.dialect;

import java.util.List;

/**
 * A state machine that turns one upstream stream into the caller's dialect, fed one upstream event at a time.
 * One instance serves exactly one streamed answer and is not thread-safe.
 */
public interface StreamTranslator {

    /** The caller-dialect events produced by one upstream event (possibly none). */
    List<SseEvent> onEvent(SseEvent upstreamEvent);

    /**
     * The upstream's response ended normally (no network error). Returns whatever the caller still needs: nothing if
     * the stream was already closed (by its final event or an error); the closing events (for example
     * {@code message_delta}/{@code message_stop}, or the final usage chunk and {@code [DONE]}) if the upstream had
     * finished its answer and only its terminator is missing; and an in-band error in the caller's dialect if it had
     * not: a stream that did not finish is never presented as finished. A stream that never produced anything for
     * the caller may return nothing, so that the attempt counts as failed before its first byte.
     */
    List<SseEvent> onEnd();

    /**
     * The in-band error that ends this stream when the gateway itself cuts it short (the upstream stalled or broke
     * off, the deadline passed), after which nothing more is produced; {@code null} when the caller's dialect frames
     * that error without the stream's state ({@code Dialect.streamError}). A dialect whose events are numbered and
     * belong to one response (OpenAI Responses) needs the state to write it.
     */
    default SseEvent cutShort(int status, String message) {
        return null;
    }
}
