package io.caravan.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TokenCounts;
import io.caravan.dialects.Dialects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MeteringStream} around the real pass-through and translation streams. */
class MeteringStreamTest {

    private static final SseEvent DONE = SseEvent.data("[DONE]");
    private static final SseEvent FIRST = SseEvent.data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],"
            + "\"usage\":null}");
    private static final SseEvent TEXT = SseEvent.data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}],\"usage\":null}");
    private static final SseEvent FINISH = SseEvent.data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}");
    private static final SseEvent USAGE = SseEvent.data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":4,\"total_tokens\":25,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":16},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}");
    private static final TokenCounts USAGE_COUNTS = new TokenCounts(21, 4, 16, 0, 2);

    private final List<TokenCounts> recorded = new ArrayList<>();

    private MeteringStream chat(boolean gatewayAsked) {
        return new MeteringStream(new PassthroughStream(Dialects.OPENAI, "req_1"), Dialects.OPENAI.streamUsage(),
                gatewayAsked, recorded::add);
    }

    private static List<SseEvent> feed(StreamTranslator stream, SseEvent... events) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent e : events) {
            out.addAll(stream.onEvent(e));
        }
        return out;
    }

    @Test
    void theUsageChunkTheGatewayAskedForIsCountedButNotRelayedWhileDoneStillIs() {
        MeteringStream stream = chat(true);
        List<SseEvent> out = feed(stream, FIRST, TEXT, FINISH, USAGE, DONE);
        out.addAll(stream.onEnd());
        assertEquals(List.of(FIRST, TEXT, FINISH, DONE), out);
        assertEquals(List.of(USAGE_COUNTS), recorded);
    }

    @Test
    void theUsageChunkTheCallerAskedForIsRelayedUnchanged() {
        MeteringStream stream = chat(false);
        List<SseEvent> out = feed(stream, FIRST, TEXT, FINISH, USAGE, DONE);
        out.addAll(stream.onEnd());
        assertEquals(List.of(FIRST, TEXT, FINISH, USAGE, DONE), out);
        assertEquals(List.of(USAGE_COUNTS), recorded);
    }

    @Test
    void aStreamMissingItsDoneAfterAHiddenUsageChunkStillGetsItsTerminator() {
        MeteringStream stream = chat(true);
        List<SseEvent> out = feed(stream, FIRST, FINISH, USAGE);
        out.addAll(stream.onEnd());
        assertEquals(List.of(FIRST, FINISH, DONE), out);
        assertEquals(List.of(USAGE_COUNTS), recorded);
    }

    @Test
    void aStreamThatGaveTheCallerNothingRecordsNothingSoAFailedAttemptCountsNone() {
        // A stream that holds its output back (as a translator may until it knows what to write) and then breaks
        // off: the relay fails that attempt before anything reached the caller, and another credential answers.
        StreamTranslator holdsBack = new StreamTranslator() {
            @Override
            public List<SseEvent> onEvent(SseEvent upstreamEvent) {
                return List.of();
            }

            @Override
            public List<SseEvent> onEnd() {
                return List.of();
            }
        };
        MeteringStream stream = new MeteringStream(holdsBack, Dialects.ANTHROPIC.streamUsage(), false, recorded::add);
        stream.onEvent(SseEvent.named("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":50,\"output_tokens\":1}}}"));
        assertTrue(stream.onEnd().isEmpty());
        assertEquals(List.of(), recorded);
    }

    @Test
    void aStreamCutShortKeepsTheUsageItReportedBeforeAndUpdatesAsCountsChange() {
        MeteringStream stream = new MeteringStream(new PassthroughStream(Dialects.ANTHROPIC, "req_1"),
                Dialects.ANTHROPIC.streamUsage(), false, recorded::add);
        feed(stream,
                SseEvent.named("message_start", "{\"type\":\"message_start\",\"message\":{\"type\":\"message\","
                        + "\"content\":[],\"usage\":{\"input_tokens\":50,\"cache_read_input_tokens\":10,\"output_tokens\":1}}}"),
                SseEvent.named("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                SseEvent.named("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"));
        List<SseEvent> end = stream.onEnd();
        assertTrue(end.get(0).isError(), "the cut stream ends with an error: " + end);
        assertEquals(List.of(new TokenCounts(60, 1, 10, 0, 0)), recorded);
    }

    @Test
    void aTranslatedStreamIsMeteredFromTheUpstreamsEventsNotTheCallers() {
        StreamTranslator anthropicCallerOverChat = io.caravan.dialect.Translators
                .between(Dialects.ANTHROPIC, Dialects.OPENAI, new io.caravan.dialect.TranslationSettings(4096, 1024, 4096, 16384))
                .stream("claude-x");
        MeteringStream stream = new MeteringStream(anthropicCallerOverChat, Dialects.OPENAI.streamUsage(), false,
                recorded::add);
        List<SseEvent> out = feed(stream, FIRST, TEXT, FINISH, USAGE, DONE);
        out.addAll(stream.onEnd());
        assertEquals(List.of(USAGE_COUNTS), recorded);
        SseEvent delta = out.stream().filter(e -> "message_delta".equals(e.event())).findFirst().orElseThrow();
        assertTrue(delta.data().contains("\"output_tokens\":4"), "the caller's usage stays as translated: " + delta);
    }
}
