package io.caravan.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.SseEvent;
import io.caravan.dialects.Dialects;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Responses WebSocket turn's frames hold: the event's JSON alone, and errors in the protocol's frame. */
class WebSocketCallerChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEventFrameIsItsDataWithoutTheSseFraming() {
        String data = "{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"delta\":\"h\u00e9\"}";

        assertEquals(data, WebSocketCallerChannel.dataOf(Buffer.buffer(SseEvent.named("response.output_text.delta", data)
                .toWire())));
        // Data of several lines comes back joined, as an SSE client reads it.
        assertEquals("{\n\"a\":1\n}", WebSocketCallerChannel.dataOf(Buffer.buffer(SseEvent.data("{\n\"a\":1\n}").toWire())));
    }

    @Test
    void anErrorAnswerBecomesAnErrorFrameWithItsStatusErrorObjectAndHeaders() throws Exception {
        byte[] body = DialectErrors.body(Dialects.RESPONSES, 429, "Slow down", "rate_limit_exceeded", "req_1");

        JsonNode frame = JSON.readTree(WebSocketCallerChannel.errorFrame(429, "req_1", Buffer.buffer(body),
                Map.of("retry-after", "7")));

        assertEquals("error", frame.path("type").asText());
        assertEquals(429, frame.path("status").asInt());
        assertEquals(JSON.readTree(body).path("error"), frame.path("error"));
        assertEquals("req_1", frame.path("headers").path("x-request-id").asText());
        assertEquals("7", frame.path("headers").path("retry-after").asText());
    }

    @Test
    void anErrorBodyThatIsNotJsonIsCarriedAsTheErrorsMessage() throws Exception {
        JsonNode frame = JSON.readTree(WebSocketCallerChannel.errorFrame(502, null, Buffer.buffer("<html>bad</html>"),
                null));

        assertEquals(502, frame.path("status").asInt());
        assertEquals("<html>bad</html>", frame.path("error").path("message").asText());
        assertEquals(0, frame.path("headers").size());
    }
}
