package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.support.KeyRedactor;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks the credential's key in the in-band errors of a stream, as {@code DialectBridge.errorBody} does for whole
 * error answers: a provider's mid-stream error may quote the key it was called with. Only error events are
 * scanned, so an ordinary event costs one check.
 */
public final class KeyRedactingStream implements StreamTranslator {

    private final StreamTranslator inner;
    private final KeyRedactor redactor;

    public KeyRedactingStream(StreamTranslator inner, KeyRedactor redactor) {
        this.inner = inner;
        this.redactor = redactor;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        return redacted(inner.onEvent(upstreamEvent));
    }

    @Override
    public List<SseEvent> onEnd() {
        return redacted(inner.onEnd());
    }

    @Override
    public SseEvent cutShort(int status, String message) {
        SseEvent error = inner.cutShort(status, message);
        return error == null ? null : new SseEvent(error.event(), redactor.redact(error.data()));
    }

    private List<SseEvent> redacted(List<SseEvent> events) {
        List<SseEvent> out = null;
        for (int i = 0; i < events.size(); i++) {
            SseEvent e = events.get(i);
            if (e.isError()) {
                if (out == null) {
                    out = new ArrayList<>(events);
                }
                out.set(i, new SseEvent(e.event(), redactor.redact(e.data())));
            }
        }
        return out == null ? events : out;
    }
}
