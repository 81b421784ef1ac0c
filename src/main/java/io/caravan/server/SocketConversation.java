package io.caravan.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StoredConversations;
import io.caravan.dialects.Dialects;
import java.util.Map;

/**
 * What a Responses WebSocket remembers between its turns: its last response, with the whole conversation up to it
 * (the input that response answered, then its output items).
 *
 * <p>OpenAI keeps a socket's last response in memory, and Codex CLI relies on it: after a turn (and after its
 * prewarm, a {@code generate: false} turn) it sends the next one as {@code previous_response_id} of that response
 * plus only the input items that are new. The gateway does the same for its own sockets, and sends the upstream the
 * whole conversation instead of the reference, so that whichever credential serves the next turn has all of it. A
 * {@code previous_response_id} of any other response is left in the request for the route to judge. The continuation
 * itself is the dialect's ({@link StoredConversations}), as for the responses the gateway keeps across requests.
 *
 * <p>Bounded: a conversation larger than the request body limit is not remembered (its next turn could not be sent
 * whole anyway). One turn at a time, on the socket's event loop; events may be observed from another thread.
 */
final class SocketConversation {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final StoredConversations RULES = Dialects.RESPONSES.storedConversations();

    private final long maxBytes;
    private String lastResponseId;
    private ArrayNode history;

    SocketConversation(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Starts a turn: a request continuing the socket's last response gets that conversation before its own input,
     * and loses its {@code previous_response_id}. The socket forgets its last response either way: a turn replaces it.
     */
    Turn begin(ObjectNode request) {
        Map<String, Object> asked = JSON.convertValue(request, OBJECT);
        String previous = RULES.continuedFrom(asked);
        Map<String, Object> whole = null;
        if (previous == null) {
            whole = asked;
        } else if (history != null && previous.equals(lastResponseId)) {
            whole = RULES.withHistory(asked, history);
            request.removeAll();
            request.setAll((ObjectNode) JSON.valueToTree(whole));
        }
        lastResponseId = null;
        history = null;
        return new Turn(whole);
    }

    private void remember(String responseId, ArrayNode conversation) {
        try {
            if (JSON.writeValueAsBytes(conversation).length <= maxBytes) {
                lastResponseId = responseId;
                history = conversation;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** One turn's view of the conversation: what it was asked, and the answer that completed it. */
    final class Turn {
        /** The whole request of the turn, or null when it continued a response this socket does not know. */
        private final Map<String, Object> request;
        private JsonNode completed;

        private Turn(Map<String, Object> request) {
            this.request = request;
        }

        /** Sees one event of the answer (its JSON): the completed response is kept, with all its output. */
        synchronized void onEvent(String data) {
            if (request == null || !data.contains("\"response.completed\"")) {
                return;
            }
            try {
                JsonNode event = JSON.readTree(data);
                if (RULES.finishes(SseEvent.named(event.path("type").asText(), data))) {
                    completed = RULES.finishedAnswer(event);
                }
            } catch (JsonProcessingException notJson) {
                // Not an event after all: nothing to remember.
            }
        }

        /** The turn is over: a completed answer becomes the socket's last response. */
        synchronized void finish() {
            String id = request == null || completed == null ? null : RULES.answerId(completed);
            if (id != null) {
                remember(id, RULES.conversation(request, completed));
            }
        }

        /** A prewarm turn: answered by the gateway, with no output, and remembered as such. */
        synchronized void prewarmed(String responseId) {
            if (request != null) {
                remember(responseId, RULES.conversation(request, JSON.createObjectNode()));
            }
        }
    }
}
