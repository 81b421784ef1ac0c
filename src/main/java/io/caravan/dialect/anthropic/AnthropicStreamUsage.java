package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_START;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;

/**
 * The usage of an Anthropic Messages stream: {@code message_start} carries the input counts (and a first output
 * count), {@code message_delta} the final output count and, on newer API versions, the input counts again; as
 * Anthropic documents, each count a later event carries replaces the earlier one. Only those two events, once each
 * per stream, are parsed; the others are told apart by their event name.
 */
final class AnthropicStreamUsage implements StreamUsage {

    private static final String QUOTED_START = "\"" + EVENT_MESSAGE_START + "\"";
    private static final String QUOTED_DELTA = "\"" + EVENT_MESSAGE_DELTA + "\"";

    private TokenUsage usage = TokenUsage.NONE;
    private TokenCounts counts = TokenCounts.NONE;

    @Override
    public boolean onEvent(SseEvent event) {
        if (!mayCarryUsage(event)) {
            return false;
        }
        JsonNode data = JsonTrees.parseOrNull(event.data());
        if (data == null || !data.isObject()) {
            return false;
        }
        String type = JsonTrees.text(data, TYPE);
        if (EVENT_MESSAGE_START.equals(type)) {
            usage = usage.updatedBy(data.path(MESSAGE).get(USAGE));
        } else if (EVENT_MESSAGE_DELTA.equals(type)) {
            usage = usage.updatedBy(data.get(USAGE));
        } else {
            return false;
        }
        counts = usage.toCounts();
        // Anthropic sends no event for usage alone: both carry more than usage.
        return false;
    }

    @Override
    public TokenCounts counts() {
        return counts;
    }

    /** By the event's name; a server that writes no names (Anthropic always does) by the type in its data. */
    private static boolean mayCarryUsage(SseEvent event) {
        String name = event.event();
        if (name != null) {
            return EVENT_MESSAGE_START.equals(name) || EVENT_MESSAGE_DELTA.equals(name);
        }
        String data = event.data();
        return data.contains(QUOTED_START) || data.contains(QUOTED_DELTA);
    }
}
