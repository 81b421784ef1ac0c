package io.caravan.dialect.responses;

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

/** The usage OpenAI Responses answers and streams report, read as the shared {@link TokenCounts}. */
class ResponsesUsageTest {

    private static final ResponsesDialect RESPONSES = ResponsesDialect.INSTANCE;

    private static String response(String status, String usage) {
        return "{\"id\":\"resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41\",\"object\":\"response\","
                + "\"created_at\":1741476777,\"status\":\"" + status + "\",\"model\":\"o4-mini-2025-04-16\","
                + "\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"input_tokens\",\"annotations\":[]}]}],"
                + "\"usage\":" + usage + "}";
    }

    private static final String USAGE = "{\"input_tokens\":328,\"input_tokens_details\":{\"cached_tokens\":256},"
            + "\"output_tokens\":52,\"output_tokens_details\":{\"reasoning_tokens\":40},\"total_tokens\":380}";

    @Test
    void aWholeResponseCountsItsCachedInputAndReasoningOutput() {
        String answer = response("completed", USAGE);
        TokenCounts expected = new TokenCounts(328, 52, 256, 0, 40);
        assertEquals(expected, RESPONSES.answerUsage(JsonTrees.parseOrNull(answer)));
        assertEquals(expected, RESPONSES.answerUsage(RESPONSES.answerShape(Operation.CHAT).read(Buffer.buffer(answer))));
    }

    @Test
    void cacheWritesWhereReportedAreAnInputPart() {
        assertEquals(new TokenCounts(100, 2, 40, 50, 0), RESPONSES.answerUsage(JsonTrees.parseOrNull(response("completed",
                "{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":40,\"cache_write_tokens\":50},"
                        + "\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0}}"))));
    }

    @Test
    void aResponseWithoutUsageCostsNothing() {
        assertEquals(TokenCounts.NONE, RESPONSES.answerUsage(JsonTrees.parseOrNull(response("in_progress", "null"))));
        assertEquals(TokenCounts.NONE, RESPONSES.answerUsage(JsonTrees.parseOrNull("{\"object\":\"response\",\"output\":[]}")));
        assertEquals(TokenCounts.NONE, RESPONSES.answerUsage(null));
        assertEquals(TokenCounts.NONE, RESPONSES.answerUsage(RESPONSES.answerShape(Operation.COUNT_TOKENS)
                .read(Buffer.buffer("{\"object\":\"response.input_tokens\",\"input_tokens\":11}"))));
    }

    @Test
    void aStreamReportsTheUsageOfItsTerminalEventOnly() {
        StreamUsage usage = RESPONSES.streamUsage();
        SseEvent[] before = {
                SseEvent.named("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + response("in_progress", "null") + "}"),
                SseEvent.named("response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":1,"
                        + "\"response\":" + response("in_progress", "null") + "}"),
                SseEvent.named("response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                        + "\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
                        + "\"delta\":\"\\\"response.completed\\\"\"}")};
        for (SseEvent e : before) {
            assertFalse(usage.onEvent(e));
            assertEquals(TokenCounts.NONE, usage.counts());
        }
        assertFalse(usage.onEvent(SseEvent.named("response.completed", "{\"type\":\"response.completed\","
                + "\"sequence_number\":3,\"response\":" + response("completed", USAGE) + "}")));
        assertEquals(new TokenCounts(328, 52, 256, 0, 40), usage.counts());
    }

    @Test
    void anIncompleteOrFailedResponseReportsItsUsageTooAndOneWithNoneKeepsNone() {
        StreamUsage incomplete = RESPONSES.streamUsage();
        incomplete.onEvent(SseEvent.named("response.incomplete", "{\"type\":\"response.incomplete\",\"sequence_number\":9,"
                + "\"response\":" + response("incomplete", USAGE) + "}"));
        assertEquals(new TokenCounts(328, 52, 256, 0, 40), incomplete.counts());

        StreamUsage failed = RESPONSES.streamUsage();
        failed.onEvent(SseEvent.named("response.failed", "{\"type\":\"response.failed\",\"sequence_number\":4,"
                + "\"response\":" + response("failed", "null") + "}"));
        assertEquals(TokenCounts.NONE, failed.counts());
    }

    @Test
    void eventsWithoutNamesAreToldApartByTheirType() {
        StreamUsage usage = RESPONSES.streamUsage();
        usage.onEvent(SseEvent.data("{\"type\":\"response.completed\",\"sequence_number\":3,\"response\":"
                + response("completed", USAGE) + "}"));
        assertEquals(new TokenCounts(328, 52, 256, 0, 40), usage.counts());
    }

    @Test
    void responsesStreamsAlwaysReportUsageSoNoRequestIsChanged() {
        assertNull(RESPONSES.withStreamUsage(Map.of("model", "o4-mini", "stream", true)));
    }
}
