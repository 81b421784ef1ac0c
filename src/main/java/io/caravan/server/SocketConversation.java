package io.caravan.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;

/**
 * What a Responses WebSocket remembers between its turns: its last response, with the whole conversation up to it
 * (the input that response answered, then its output items).
 *
 * <p>OpenAI keeps a socket's last response in memory, and Codex CLI relies on it: after a turn (and after its
 * prewarm, a {@code generate: false} turn) it sends the next one as {@code previous_response_id} of that response
 * plus only the input items that are new. The gateway does the same for its own sockets, and sends the upstream the
 * whole conversation instead of the reference, so that whichever credential serves the next turn has all of it. A
 * {@code previous_response_id} of any other response is left in the request for the route to judge.
 *
 * <p>Bounded: a conversation larger than the request body limit is not remembered (its next turn could not be sent
 * whole anyway). One turn at a time, on the socket's event loop; events may be observed from another thread.
 */
final class SocketConversation {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final String INPUT = "input";
    private static final String PREVIOUS_RESPONSE_ID = "previous_response_id";

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
        JsonNode previous = request.get(PREVIOUS_RESPONSE_ID);
        ArrayNode input = inputItems(request.get(INPUT));
        ArrayNode whole = null;
        if (previous == null || previous.isNull()) {
            whole = input;
        } else if (history != null && previous.isTextual() && previous.asText().equals(lastResponseId)) {
            whole = history;
            whole.addAll(input);
            request.remove(PREVIOUS_RESPONSE_ID);
            request.set(INPUT, whole);
        }
        lastResponseId = null;
        history = null;
        return new Turn(whole);
    }

    /** The input as a list of items: a plain string is one user message, as the Responses API reads it. */
    private static ArrayNode inputItems(JsonNode input) {
        ArrayNode items = JSON.createArrayNode();
        if (input == null || input.isNull()) {
            return items;
        }
        if (input.isTextual()) {
            ObjectNode message = items.addObject();
            message.put("type", "message");
            message.put("role", "user");
            message.put("content", input.asText());
            return items;
        }
        if (input.isArray()) {
            items.addAll((ArrayNode) input);
        }
        return items;
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

    /** One turn's view of the conversation: what it was asked, and the output items its answer carried. */
    final class Turn {
        /** The whole input of the turn, or null when it continued a response this socket does not know. */
        private final ArrayNode input;
        private final ArrayNode output = JSON.createArrayNode();
        private String completedId;

        private Turn(ArrayNode input) {
            this.input = input;
        }

        /** Sees one event of the answer (its JSON): output items and the completed response's id are kept. */
        synchronized void onEvent(String data) {
            if (input == null || !(data.contains("\"response.output_item.done\"") || data.contains("\"response.completed\""))) {
                return;
            }
            JsonNode event;
            try {
                event = JSON.readTree(data);
            } catch (JsonProcessingException notJson) {
                return;
            }
            String type = event.path("type").asText();
            if (type.equals("response.output_item.done") && event.path("item").isObject()) {
                output.add(event.get("item"));
            } else if (type.equals("response.completed") && event.path("response").path("id").isTextual()) {
                completedId = event.path("response").path("id").asText();
            }
        }

        /** The turn is over: a completed answer becomes the socket's last response. */
        synchronized void finish() {
            if (input != null && completedId != null) {
                ArrayNode conversation = input.deepCopy();
                conversation.addAll(output);
                remember(completedId, conversation);
            }
        }

        /** A prewarm turn: answered by the gateway, with no output, and remembered as such. */
        synchronized void prewarmed(String responseId) {
            if (input != null) {
                remember(responseId, input.deepCopy());
            }
        }
    }
}
