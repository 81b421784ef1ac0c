package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the usage of an upstream stream while it is relayed: every upstream event goes to the upstream dialect's
 * {@link StreamUsage} before the stream it wraps (pass-through or translation) sees it. The counts are recorded
 * from the moment the stream has given the caller something, and again whenever they change: an attempt that fails
 * before its first event reached the caller (and may be retried elsewhere) records nothing, while a stream that is
 * cut short keeps whatever usage it had reported.
 *
 * <p>When the gateway, not the caller, asked the upstream for usage, the event that carries nothing but usage is
 * counted and not relayed, so the caller gets the stream it asked for.
 */
public final class MeteringStream implements StreamTranslator {

    private final StreamTranslator inner;
    private final StreamUsage usage;
    private final boolean hideUsageOnlyEvents;
    private final Consumer<TokenCounts> record;
    private boolean delivering;
    private TokenCounts recorded = TokenCounts.NONE;

    /**
     * @param usage               the usage reader of the upstream's dialect, fresh for this stream
     * @param hideUsageOnlyEvents whether the gateway asked for usage the caller did not ask for
     * @param record              receives the counts whenever they change once the stream is being served
     */
    public MeteringStream(StreamTranslator inner, StreamUsage usage, boolean hideUsageOnlyEvents,
            Consumer<TokenCounts> record) {
        this.inner = inner;
        this.usage = usage;
        this.hideUsageOnlyEvents = hideUsageOnlyEvents;
        this.record = record;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        boolean usageOnly = usage.onEvent(upstreamEvent);
        return recording(usageOnly && hideUsageOnlyEvents ? List.of() : inner.onEvent(upstreamEvent));
    }

    @Override
    public List<SseEvent> onEnd() {
        return recording(inner.onEnd());
    }

    @Override
    public SseEvent cutShort(int status, String message) {
        return inner.cutShort(status, message);
    }

    /** Records the counts once the caller is being served; everything the stream produces goes to the caller. */
    private List<SseEvent> recording(List<SseEvent> out) {
        if (!out.isEmpty()) {
            delivering = true;
        }
        if (delivering) {
            TokenCounts counts = usage.counts();
            if (!counts.equals(recorded)) {
                recorded = counts;
                record.accept(counts);
            }
        }
        return out;
    }
}
