package io.caravan.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caravan.bench.target.Dialect;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the stream client tells events, errors and the end of a stream apart, per dialect. */
class SseEventScannerTest {
    private static final String CHUNK = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
            + "[{\"text\":\"tok1 \"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12}}";
    private static final String LAST = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
            + "[{\"text\":\"\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12}}";

    @Test
    void aGeminiStreamEndsAtTheChunkThatCarriesAFinishReason() {
        List<SseEventScanner.Kind> kinds = scan(Dialect.GEMINI, CHUNK + "\n\n" + CHUNK + "\n\n" + LAST + "\n\n");

        assertEquals(List.of(SseEventScanner.Kind.DATA, SseEventScanner.Kind.DATA, SseEventScanner.Kind.END), kinds);
    }

    @Test
    void theGeminiEndIsFoundAcrossBufferBoundariesAndWithCrlfFraming() {
        String stream = (CHUNK + "\r\n\r\n" + LAST + "\r\n\r\n");
        int cut = stream.indexOf("finishRea");
        SseEventScanner scanner = new SseEventScanner(Dialect.GEMINI.streamEnd());
        List<SseEventScanner.Kind> kinds = new ArrayList<>();
        scanner.feed(Buffer.buffer(stream.substring(0, cut)), (kind, error) -> kinds.add(kind));
        scanner.feed(Buffer.buffer(stream.substring(cut)), (kind, error) -> kinds.add(kind));

        assertEquals(List.of(SseEventScanner.Kind.DATA, SseEventScanner.Kind.END), kinds);
    }

    @Test
    void aGeminiErrorChunkIsAnError() {
        List<SseEventScanner.Kind> kinds = scan(Dialect.GEMINI, CHUNK + "\n\ndata: {\"error\":{\"code\":500,"
                + "\"message\":\"upstream failed\",\"status\":\"INTERNAL\"}}\n\n");

        assertEquals(List.of(SseEventScanner.Kind.DATA, SseEventScanner.Kind.ERROR), kinds);
    }

    @Test
    void theOtherDialectsEndByTheFirstLineOfAnEventOnly() {
        assertEquals(List.of(SseEventScanner.Kind.DATA, SseEventScanner.Kind.END),
                scan(Dialect.OPENAI, "data: {\"choices\":[]}\n\ndata: [DONE]\n\n"));
        // a chunk that merely mentions the terminator in its text does not end an OpenAI stream
        assertEquals(List.of(SseEventScanner.Kind.DATA),
                scan(Dialect.OPENAI, "data: {\"choices\":[{\"delta\":{\"content\":\"data: [DONE]\"}}]}\n\n"));
        assertEquals(List.of(SseEventScanner.Kind.DATA, SseEventScanner.Kind.END),
                scan(Dialect.ANTHROPIC, "event: message_delta\ndata: {}\n\nevent: message_stop\ndata: {}\n\n"));
    }

    private static List<SseEventScanner.Kind> scan(Dialect dialect, String stream) {
        List<SseEventScanner.Kind> kinds = new ArrayList<>();
        new SseEventScanner(dialect.streamEnd()).feed(Buffer.buffer(stream), (kind, error) -> kinds.add(kind));
        return kinds;
    }
}
