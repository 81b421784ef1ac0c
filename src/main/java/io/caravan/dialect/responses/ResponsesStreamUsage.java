package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.EVENT_COMPLETED;
import static io.caravan.dialect.responses.ResponsesWire.EVENT_FAILED;
import static io.caravan.dialect.responses.ResponsesWire.EVENT_INCOMPLETE;
import static io.caravan.dialect.responses.ResponsesWire.RESPONSE;
import static io.caravan.dialect.responses.ResponsesWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;

/**
 * The usage of an OpenAI Responses stream: the whole response its terminal event carries
 * ({@code response.completed}, {@code response.incomplete} or {@code response.failed}) has it; no earlier event
 * does. Only that one event is parsed; the others are told apart by their event name (or, from a server that
 * writes none, by the terminal type's name in the data).
 */
final class ResponsesStreamUsage implements StreamUsage {

    private static final String QUOTED_COMPLETED = "\"" + EVENT_COMPLETED + "\"";
    private static final String QUOTED_INCOMPLETE = "\"" + EVENT_INCOMPLETE + "\"";
    private static final String QUOTED_FAILED = "\"" + EVENT_FAILED + "\"";

    private TokenCounts counts = TokenCounts.NONE;

    @Override
    public boolean onEvent(SseEvent event) {
        if (!isTerminal(event)) {
            return false;
        }
        JsonNode data = JsonTrees.parseOrNull(event.data());
        if (data == null || !data.isObject() || !isTerminalType(JsonTrees.text(data, TYPE))) {
            return false;
        }
        TokenCounts reported = ResponsesUsage.ofResponse(data.get(RESPONSE));
        if (!reported.isNone()) {
            counts = reported;
        }
        // The terminal event carries the whole response, not usage alone.
        return false;
    }

    @Override
    public TokenCounts counts() {
        return counts;
    }

    private static boolean isTerminal(SseEvent event) {
        String name = event.event();
        if (name != null) {
            return isTerminalType(name);
        }
        String data = event.data();
        return data.contains(QUOTED_COMPLETED) || data.contains(QUOTED_INCOMPLETE) || data.contains(QUOTED_FAILED);
    }

    private static boolean isTerminalType(String type) {
        return EVENT_COMPLETED.equals(type) || EVENT_INCOMPLETE.equals(type) || EVENT_FAILED.equals(type);
    }
}
