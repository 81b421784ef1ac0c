package io.caravan.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamFraming;
import io.caravan.testing.RecordingCallerChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseResponseWriterTest {

    @Test
    void serverSentEventsAreFramedAsEvents() {
        RecordingCallerChannel channel = new RecordingCallerChannel();
        SseResponseWriter writer = new SseResponseWriter(channel, "req_1", StreamFraming.SSE);

        writer.write(SseEvent.data("{\"a\":1}"));
        writer.end();

        assertEquals("text/event-stream; charset=utf-8", channel.contentType());
        assertEquals(List.of("data: {\"a\":1}\n\n"), channel.events());
    }

    @Test
    void aJsonArrayStreamIsOneArrayOfTheEventsDataWithLineBreaksAsKeepAlives() throws Exception {
        RecordingCallerChannel channel = new RecordingCallerChannel();
        SseResponseWriter writer = new SseResponseWriter(channel, "req_1", StreamFraming.JSON_ARRAY);

        writer.keepAlive();
        writer.write(SseEvent.data("{\"a\":1}"));
        writer.keepAlive();
        writer.write(SseEvent.data("{\"b\":\"x\\ny\"}"));
        writer.end();

        assertEquals("application/json", channel.contentType());
        String whole = String.join("", channel.events());
        assertEquals("\n[{\"a\":1}\n,\r\n{\"b\":\"x\\ny\"}]", whole);
        JsonNode array = JsonCodec.mapper().readTree(whole);
        assertEquals(2, array.size());
        assertEquals("x\ny", array.get(1).get("b").asText());
    }

    @Test
    void aJsonArrayStreamWithoutEventsIsAnEmptyArray() throws Exception {
        RecordingCallerChannel channel = new RecordingCallerChannel();
        SseResponseWriter writer = new SseResponseWriter(channel, "req_1", StreamFraming.JSON_ARRAY);

        writer.end();

        assertEquals("[]", String.join("", channel.events()));
    }
}
