package io.caravan.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A caller of one non-common dialect served by an upstream of another: the caller's half and the upstream's half
 * joined at the common model. Only such pairs pay for the second step; a pair with the common model on one side is
 * a single translator.
 */
final class TranslatorChain implements Translator {

    private final Translator callerHalf;
    private final Translator upstreamHalf;

    TranslatorChain(Translator callerHalf, Translator upstreamHalf) {
        this.callerHalf = callerHalf;
        this.upstreamHalf = upstreamHalf;
    }

    @Override
    public Dialect caller() {
        return callerHalf.caller();
    }

    @Override
    public Dialect upstream() {
        return upstreamHalf.upstream();
    }

    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        return upstreamHalf.request(callerHalf.request(callerRequest, upstreamModel), upstreamModel);
    }

    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        return callerHalf.response(upstreamHalf.response(upstreamResponse, callerModel), callerModel);
    }

    @Override
    public StreamTranslator stream(String callerModel) {
        return new Chained(upstreamHalf.stream(callerModel), callerHalf.stream(callerModel));
    }

    /** The upstream half sees the common-model request the caller half makes, so it honours what that asks. */
    @Override
    public StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        ObjectNode commonRequest = callerHalf.request(callerRequest, callerModel);
        return new Chained(upstreamHalf.stream(commonRequest, callerModel, requestId),
                callerHalf.stream(callerRequest, callerModel, requestId));
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return callerHalf.error(status, upstreamHalf.error(status, upstreamBody).toString());
    }

    /** Upstream events through the upstream half into common-model events, and those through the caller half. */
    private record Chained(StreamTranslator first, StreamTranslator second) implements StreamTranslator {

        @Override
        public List<SseEvent> onEvent(SseEvent upstreamEvent) {
            return feed(first.onEvent(upstreamEvent), false);
        }

        @Override
        public List<SseEvent> onEnd() {
            return feed(first.onEnd(), true);
        }

        /** The caller's half writes the caller's events, so it alone can frame the error that ends them. */
        @Override
        public SseEvent cutShort(int status, String message) {
            return second.cutShort(status, message);
        }

        private List<SseEvent> feed(List<SseEvent> common, boolean end) {
            if (common.isEmpty() && !end) {
                return List.of();
            }
            List<SseEvent> out = new ArrayList<>();
            for (SseEvent event : common) {
                out.addAll(second.onEvent(event));
            }
            if (end) {
                out.addAll(second.onEnd());
            }
            return out;
        }
    }
}
