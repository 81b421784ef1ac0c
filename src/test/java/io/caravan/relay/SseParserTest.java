package io.caravan.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static final String ANTHROPIC_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","content":[]}}

            event: content_block_delta
            data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"Grüße, 世界 🐫"}}

            : keep-alive comment

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private static final List<SseEvent> ANTHROPIC_EVENTS = List.of(
            SseEvent.named("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}"),
            SseEvent.named("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Grüße, 世界 🐫\"}}"),
            SseEvent.named("message_stop", "{\"type\":\"message_stop\"}"));

    private static List<SseEvent> parseWhole(String text) {
        return parseChunks(List.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<SseEvent> parseChunks(List<byte[]> chunks) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (byte[] chunk : chunks) {
            parser.feed(Buffer.buffer(chunk), events::add);
        }
        parser.finish(events::add);
        return events;
    }

    private static List<byte[]> oneByteAtATime(byte[] bytes) {
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : bytes) {
            chunks.add(new byte[] {b});
        }
        return chunks;
    }

    @Test
    void eventsWithNamesAreSplitAndCommentsDropped() {
        assertEquals(ANTHROPIC_EVENTS, parseWhole(ANTHROPIC_STREAM));
    }

    @Test
    void eventsAreDeliveredAsSoonAsTheirBlankLineArrives() {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();

        parser.feed(Buffer.buffer("data: one\n"), events::add);
        assertEquals(List.of(), events, "not before the blank line");
        parser.feed(Buffer.buffer("\ndata: tw"), events::add);
        assertEquals(List.of(SseEvent.data("one")), events);
        parser.feed(Buffer.buffer("o\n\n"), events::add);
        assertEquals(List.of(SseEvent.data("one"), SseEvent.data("two")), events);
    }

    @Test
    void everyByteBoundaryGivesTheSameEvents() {
        byte[] bytes = ANTHROPIC_STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            List<SseEvent> events = parseChunks(List.of(
                    Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length)));
            assertEquals(ANTHROPIC_EVENTS, events, "split at byte " + split);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameEvents() {
        assertEquals(ANTHROPIC_EVENTS, parseChunks(oneByteAtATime(ANTHROPIC_STREAM.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aMultiByteCharacterSplitAcrossChunksStaysIntact() {
        byte[] camel = "🐫".getBytes(StandardCharsets.UTF_8);
        assertEquals(4, camel.length);
        byte[] head = "data: a".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "b\n\n".getBytes(StandardCharsets.UTF_8);

        for (int cut = 1; cut < camel.length; cut++) {
            byte[] first = new byte[head.length + cut];
            System.arraycopy(head, 0, first, 0, head.length);
            System.arraycopy(camel, 0, first, head.length, cut);
            byte[] second = new byte[camel.length - cut + tail.length];
            System.arraycopy(camel, cut, second, 0, camel.length - cut);
            System.arraycopy(tail, 0, second, camel.length - cut, tail.length);

            assertEquals(List.of(SseEvent.data("a🐫b")), parseChunks(List.of(first, second)), "cut after byte " + cut);
        }
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        String stream = "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\ndata: x\r\n\r\n";
        List<SseEvent> expected = List.of(SseEvent.named("ping", "{\"type\": \"ping\"}"), SseEvent.data("x"));

        assertEquals(expected, parseWhole(stream));
        assertEquals(expected, parseChunks(oneByteAtATime(stream.getBytes(StandardCharsets.UTF_8))));
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            assertEquals(expected, parseChunks(List.of(
                    Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length))),
                    "split at byte " + split);
        }
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        String stream = "data: first\ndata: second\ndata:third\ndata:\n\n";

        assertEquals(List.of(SseEvent.data("first\nsecond\nthird\n")), parseWhole(stream));
        assertEquals(List.of(SseEvent.data("first\nsecond\nthird\n")),
                parseChunks(oneByteAtATime(stream.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void onlyOneLeadingSpaceIsRemovedFromAValue() {
        assertEquals(List.of(SseEvent.data("  indented")), parseWhole("data:   indented\n\n"));
    }

    @Test
    void commentsAndUnknownFieldsAreIgnored() {
        String stream = ": hello\n:\nid: 7\nretry: 1000\ndata: x\n: between\n\n: only a comment\n\n";

        assertEquals(List.of(SseEvent.data("x")), parseWhole(stream));
    }

    @Test
    void anEventNameAppliesOnlyToItsOwnEvent() {
        String stream = "event: message_delta\ndata: a\n\ndata: b\n\n";

        assertEquals(List.of(SseEvent.named("message_delta", "a"), SseEvent.data("b")), parseWhole(stream));
    }

    @Test
    void anEventWithoutDataIsNotDelivered() {
        assertEquals(List.of(SseEvent.data("after")), parseWhole("event: ping\n\ndata: after\n\n"));
    }

    @Test
    void extraBlankLinesDeliverNothing() {
        assertEquals(List.of(SseEvent.data("x")), parseWhole("\n\n\ndata: x\n\n\n\n"));
    }

    @Test
    void openAiDoneIsAnOrdinaryDataEvent() {
        assertEquals(List.of(SseEvent.data("{\"id\":\"c\"}"), SseEvent.data("[DONE]")),
                parseWhole("data: {\"id\":\"c\"}\n\ndata: [DONE]\n\n"));
    }

    @Test
    void finishDeliversATrailingUnterminatedEvent() {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();

        parser.feed(Buffer.buffer("data: complete\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}"), events::add);
        assertEquals(List.of(SseEvent.data("complete")), events);

        parser.finish(events::add);
        assertEquals(List.of(SseEvent.data("complete"),
                SseEvent.named("message_stop", "{\"type\":\"message_stop\"}")), events);
    }

    @Test
    void finishDeliversAnEventMissingOnlyItsBlankLine() {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();

        parser.feed(Buffer.buffer("data: [DONE]\n"), events::add);
        parser.finish(events::add);

        assertEquals(List.of(SseEvent.data("[DONE]")), events);
    }

    @Test
    void finishAfterACompleteStreamAddsNothing() {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();

        parser.feed(Buffer.buffer("data: x\n\n"), events::add);
        parser.finish(events::add);

        assertEquals(List.of(SseEvent.data("x")), events);
    }

    @Test
    void anEmptyChunkChangesNothing() {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();

        parser.feed(Buffer.buffer("data: x"), events::add);
        parser.feed(Buffer.buffer(), events::add);
        parser.feed(Buffer.buffer("\n\n"), events::add);

        assertEquals(List.of(SseEvent.data("x")), events);
    }

    @Test
    void aLineThatNeverEndsStopsTheParserAtTheLimit() {
        SseParser parser = new SseParser(64);
        List<SseEvent> events = new ArrayList<>();

        assertTrue(parser.feed(Buffer.buffer("data: " + "x".repeat(50)), events::add));
        assertFalse(parser.feed(Buffer.buffer("x".repeat(50)), events::add), "past the limit");
        assertFalse(parser.feed(Buffer.buffer("\n\ndata: after\n\n"), events::add), "and stays stopped");
        parser.finish(events::add);

        assertEquals(List.of(), events);
    }

    @Test
    void aLineBeyondTheLimitInOneChunkStopsTheParser() {
        SseParser parser = new SseParser(64);
        List<SseEvent> events = new ArrayList<>();

        assertFalse(parser.feed(Buffer.buffer("data: ok\n\ndata: " + "x".repeat(100) + "\n\n"), events::add));

        assertEquals(List.of(SseEvent.data("ok")), events, "what came before the oversized line was delivered");
    }

    @Test
    void manyLinesOfOneEventCountTogether() {
        SseParser parser = new SseParser(64);
        List<SseEvent> events = new ArrayList<>();

        assertFalse(parser.feed(Buffer.buffer("data: 0123456789\n".repeat(10)), events::add));
        assertEquals(List.of(), events);
    }

    @Test
    void eventsUpToTheLimitPass() {
        SseParser parser = new SseParser(64);
        List<SseEvent> events = new ArrayList<>();
        String line = "data: " + "y".repeat(58);

        for (int i = 0; i < 100; i++) {
            assertTrue(parser.feed(Buffer.buffer(line + "\n\n"), events::add));
        }
        assertEquals(100, events.size());
        assertEquals("y".repeat(58), events.get(99).data());
    }

    @Test
    void aLongLineArrivingByteByByteIsAssembledWhole() {
        SseParser parser = new SseParser(1024 * 1024);
        List<SseEvent> events = new ArrayList<>();
        String value = "z".repeat(200_000);

        byte[] bytes = ("data: " + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            assertTrue(parser.feed(Buffer.buffer(new byte[] {b}), events::add));
        }

        assertEquals(List.of(SseEvent.data(value)), events);
    }
}
