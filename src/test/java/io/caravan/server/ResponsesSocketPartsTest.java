package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The parts of a Responses WebSocket that decide what its turns send upstream. */
class ResponsesSocketPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode request(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void aTurnsCallerHeadersLeaveOutTheWebSocketProtocolAndItsBetaFlag() {
        MultiMap handshake = MultiMap.caseInsensitiveMultiMap()
                .add("Upgrade", "websocket").add("Connection", "Upgrade").add("Sec-WebSocket-Key", "abc")
                .add("Sec-WebSocket-Version", "13").add("Sec-WebSocket-Extensions", "permessage-deflate")
                .add("OpenAI-Beta", "responses_websockets=2026-02-06, assistants=v2")
                .add("Authorization", "Bearer k").add("session-id", "s1");

        MultiMap turn = ResponsesWebSockets.turnHeaders(handshake);

        assertEquals("assistants=v2", turn.get("openai-beta"));
        assertEquals("Bearer k", turn.get("authorization"));
        assertEquals("s1", turn.get("session-id"));
        assertFalse(turn.contains("upgrade") || turn.contains("connection") || turn.contains("sec-websocket-key")
                || turn.contains("sec-websocket-extensions"), turn.toString());
        assertNull(ResponsesWebSockets.turnHeaders(MultiMap.caseInsensitiveMultiMap()
                .add("OpenAI-Beta", "responses_websockets=2026-02-06")).get("openai-beta"));
    }

    @Test
    void aTurnContinuingTheSocketsLastResponseCarriesTheWholeConversation() throws Exception {
        SocketConversation conversation = new SocketConversation(1 << 20);
        SocketConversation.Turn first = conversation.begin(request("{\"input\":\"hi\"}"));
        first.onEvent("{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_a\",\"output\":[{\"type\":"
                + "\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"hello\"}]}]}}");
        first.finish();

        ObjectNode next = request("{\"previous_response_id\":\"resp_a\",\"input\":[{\"type\":\"message\","
                + "\"role\":\"user\",\"content\":\"again\"}]}");
        conversation.begin(next);

        assertFalse(next.has("previous_response_id"), next.toString());
        assertEquals(3, next.path("input").size(), next.toString());
        assertEquals("hi", next.path("input").path(0).path("content").asText());
        assertEquals("hello", next.path("input").path(1).path("content").path(0).path("text").asText());
        assertEquals("again", next.path("input").path(2).path("content").asText());
    }

    @Test
    void anotherResponseIdOrAFailedTurnIsNotContinuedHere() throws Exception {
        SocketConversation conversation = new SocketConversation(1 << 20);
        SocketConversation.Turn failed = conversation.begin(request("{\"input\":\"hi\"}"));
        failed.onEvent("{\"type\":\"response.failed\",\"response\":{\"id\":\"resp_f\"}}");
        failed.finish();

        ObjectNode afterFailure = request("{\"previous_response_id\":\"resp_f\",\"input\":[]}");
        conversation.begin(afterFailure).finish();
        assertEquals("resp_f", afterFailure.path("previous_response_id").asText(), "left for the route to judge");

        ObjectNode unknown = request("{\"previous_response_id\":\"resp_elsewhere\",\"input\":[]}");
        conversation.begin(unknown);
        assertEquals("resp_elsewhere", unknown.path("previous_response_id").asText());
    }

    @Test
    void aConversationLargerThanTheBodyLimitIsNotRemembered() throws Exception {
        SocketConversation conversation = new SocketConversation(100);
        SocketConversation.Turn prewarm = conversation.begin(request("{\"input\":\"" + "x".repeat(200) + "\"}"));
        prewarm.prewarmed("resp_big");

        ObjectNode next = request("{\"previous_response_id\":\"resp_big\",\"input\":[]}");
        conversation.begin(next);
        assertTrue(next.has("previous_response_id"), next.toString());
    }
}
