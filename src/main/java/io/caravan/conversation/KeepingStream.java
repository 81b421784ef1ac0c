package io.caravan.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StoredConversations;
import io.caravan.dialect.StreamTranslator;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A caller's stream whose finishing event is read for the whole answer it carries, to be kept. Only that one event is
 * parsed; every other passes by its name alone.
 */
final class KeepingStream implements StreamTranslator {

    private final StreamTranslator inner;
    private final StoredConversations rules;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> keeper;

    KeepingStream(StreamTranslator inner, StoredConversations rules, ObjectMapper mapper, Consumer<JsonNode> keeper) {
        this.inner = inner;
        this.rules = rules;
        this.mapper = mapper;
        this.keeper = keeper;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        return kept(inner.onEvent(upstreamEvent));
    }

    @Override
    public List<SseEvent> onEnd() {
        return kept(inner.onEnd());
    }

    @Override
    public SseEvent cutShort(int status, String message) {
        return inner.cutShort(status, message);
    }

    private List<SseEvent> kept(List<SseEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            SseEvent event = events.get(i);
            if (rules.finishes(event)) {
                try {
                    keeper.accept(rules.finishedAnswer(mapper.readTree(event.data())));
                } catch (IOException notJson) {
                    // Not a whole answer after all: there is nothing to keep, and the caller gets the event as it is.
                }
            }
        }
        return events;
    }
}
