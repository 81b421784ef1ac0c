package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.Operation;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The usage Anthropic answers and streams report, read as the shared {@link TokenCounts}: Anthropic's
 * {@code input_tokens} leaves out the cache reads and writes, which the shared input includes.
 */
class AnthropicUsageTest {

    private static final AnthropicDialect ANTHROPIC = AnthropicDialect.INSTANCE;

    private static final String MESSAGE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":4096,
              "cache_creation":{"ephemeral_5m_input_tokens":2048,"ephemeral_1h_input_tokens":0},
              "output_tokens":6,"service_tier":"standard"}}""";

    private static SseEvent event(String name, String data) {
        return SseEvent.named(name, data);
    }

    @Test
    void aWholeMessageCountsItsCacheReadsAndWritesAsPartsOfItsInput() {
        TokenCounts expected = new TokenCounts(12 + 2048 + 4096, 6, 4096, 2048, 0);
        assertEquals(expected, ANTHROPIC.answerUsage(JsonTrees.parseOrNull(MESSAGE)));
        assertEquals(expected, ANTHROPIC.answerUsage(ANTHROPIC.answerShape(Operation.CHAT).read(Buffer.buffer(MESSAGE))),
                "read from the fields the shape keeps of a passed-through answer");
    }

    @Test
    void aMessageWithoutCacheFieldsOrWithoutUsageAndATokenCountCostWhatTheySay() {
        assertEquals(new TokenCounts(25, 3, 0, 0, 0), ANTHROPIC.answerUsage(JsonTrees.parseOrNull(
                "{\"type\":\"message\",\"content\":[],\"usage\":{\"input_tokens\":25,\"output_tokens\":3}}")));
        assertEquals(TokenCounts.NONE, ANTHROPIC.answerUsage(JsonTrees.parseOrNull("{\"type\":\"message\",\"content\":[]}")));
        assertEquals(TokenCounts.NONE, ANTHROPIC.answerUsage(JsonTrees.parseOrNull(
                "{\"type\":\"message\",\"content\":[],\"usage\":[1]}")));
        assertEquals(TokenCounts.NONE, ANTHROPIC.answerUsage(null));
        assertEquals(TokenCounts.NONE, ANTHROPIC.answerUsage(
                ANTHROPIC.answerShape(Operation.COUNT_TOKENS).read(Buffer.buffer("{\"input_tokens\":42}"))),
                "counting tokens costs none");
    }

    @Test
    void aStreamTakesItsInputFromMessageStartAndItsFinalOutputFromMessageDelta() {
        StreamUsage usage = ANTHROPIC.streamUsage();
        assertFalse(usage.onEvent(event("message_start", """
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
                 "model":"claude-sonnet-4-20250514","stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,
                  "output_tokens":2,"service_tier":"standard"}}}""")));
        assertEquals(new TokenCounts(2272, 2, 1800, 0, 0), usage.counts());
        for (SseEvent e : new SseEvent[] {
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("ping", "{\"type\": \"ping\"}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"\\\"usage\\\":{\\\"output_tokens\\\":9}\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")}) {
            assertFalse(usage.onEvent(e));
            assertEquals(new TokenCounts(2272, 2, 1800, 0, 0), usage.counts(), e.data());
        }
        assertFalse(usage.onEvent(event("message_delta", "{\"type\":\"message_delta\","
                + "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}")));
        assertEquals(new TokenCounts(2272, 89, 1800, 0, 0), usage.counts());
        assertFalse(usage.onEvent(event("message_stop", "{\"type\":\"message_stop\"}")));
        assertEquals(new TokenCounts(2272, 89, 1800, 0, 0), usage.counts());
    }

    @Test
    void countsAFinalMessageDeltaRepeatsReplaceTheStartsFieldByField() {
        StreamUsage usage = ANTHROPIC.streamUsage();
        usage.onEvent(event("message_start", "{\"type\":\"message_start\",\"message\":{\"type\":\"message\","
                + "\"content\":[],\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}"));
        // Newer API versions repeat the input counts in message_delta, with the server-tool totals of the turn.
        usage.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                + "\"usage\":{\"input_tokens\":14,\"cache_creation_input_tokens\":3,\"output_tokens\":40}}"));
        assertEquals(new TokenCounts(14 + 5 + 3, 40, 5, 3, 0), usage.counts());
    }

    @Test
    void aStreamCutShortKeepsWhatItsStartReportedAndOneWithoutUsageReportsNone() {
        StreamUsage cut = ANTHROPIC.streamUsage();
        cut.onEvent(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":30,"
                + "\"output_tokens\":1}}}"));
        cut.onEvent(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertEquals(new TokenCounts(30, 1, 0, 0, 0), cut.counts());

        StreamUsage none = ANTHROPIC.streamUsage();
        none.onEvent(event("message_start", "{\"type\":\"message_start\",\"message\":{\"content\":[]}}"));
        none.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":null}"));
        none.onEvent(event("message_delta", "not json"));
        assertEquals(TokenCounts.NONE, none.counts());
    }

    @Test
    void eventsWithoutNamesAreToldApartByTheirType() {
        StreamUsage usage = ANTHROPIC.streamUsage();
        usage.onEvent(SseEvent.data("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":8,\"output_tokens\":1}}}"));
        usage.onEvent(SseEvent.data("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}"));
        usage.onEvent(SseEvent.data("{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":4}}"));
        assertEquals(new TokenCounts(8, 4, 0, 0, 0), usage.counts());
    }

    @Test
    void anthropicStreamsAlwaysReportUsageSoNoRequestIsChanged() {
        assertNull(ANTHROPIC.withStreamUsage(Map.of("model", "claude", "stream", true)));
    }
}
