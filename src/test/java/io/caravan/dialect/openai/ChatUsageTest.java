package io.caravan.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.Operation;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage OpenAI Chat answers and streams report, read as the shared {@link TokenCounts}. */
class ChatUsageTest {

    private static final OpenAiDialect CHAT = OpenAiDialect.INSTANCE;

    /** An o-series answer as OpenAI sends it, with cached prompt tokens and reasoning tokens. */
    private static final String ANSWER = """
            {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
             "model":"o3-mini-2025-01-31","choices":[{"index":0,"message":{"role":"assistant",
             "content":"The usage is \\"usage\\": {\\"prompt_tokens\\": 1}","refusal":null,"annotations":[]},
             "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1117,"completion_tokens":46,"total_tokens":1163,
              "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
              "completion_tokens_details":{"reasoning_tokens":32,"audio_tokens":0,"accepted_prediction_tokens":0,
               "rejected_prediction_tokens":0}},
             "service_tier":"default","system_fingerprint":"fp_06737a9306"}""";

    private static final String CHUNK_PREFIX =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o\","
                    + "\"system_fingerprint\":\"fp_1\",";

    private static SseEvent chunk(String rest) {
        return SseEvent.data(CHUNK_PREFIX + rest);
    }

    @Test
    void aWholeAnswerCountsItsPromptWithTheCachedPartAndItsCompletionWithTheReasoningPart() {
        assertEquals(new TokenCounts(1117, 46, 1024, 0, 32), CHAT.answerUsage(JsonTrees.parseOrNull(ANSWER)));
    }

    @Test
    void aPassedThroughAnswerIsReadFromTheFieldsItsShapeKeepsWithTheSameCounts() {
        AnswerShape shape = CHAT.answerShape(Operation.CHAT);
        JsonNode kept = shape.read(Buffer.buffer(ANSWER));
        assertEquals(1, kept.size());
        assertTrue(kept.has("usage"), kept.toString());
        assertEquals(new TokenCounts(1117, 46, 1024, 0, 32), CHAT.answerUsage(kept));
        assertNull(shape.read(Buffer.buffer(ANSWER.substring(0, ANSWER.length() - 2))), "truncated JSON is no answer");
    }

    @Test
    void anAnswerWithoutUsageOrWithAMalformedOneCostsNothingAndNeverThrows() {
        assertEquals(TokenCounts.NONE, CHAT.answerUsage(null));
        assertEquals(TokenCounts.NONE, CHAT.answerUsage(JsonTrees.parseOrNull("{\"choices\":[]}")));
        assertEquals(TokenCounts.NONE, CHAT.answerUsage(JsonTrees.parseOrNull("{\"choices\":[],\"usage\":null}")));
        assertEquals(TokenCounts.NONE, CHAT.answerUsage(JsonTrees.parseOrNull("{\"choices\":[],\"usage\":\"lots\"}")));
        assertEquals(TokenCounts.NONE, CHAT.answerUsage(JsonTrees.parseOrNull("[1,2]")));
        assertEquals(new TokenCounts(7, 0, 0, 0, 0), CHAT.answerUsage(JsonTrees.parseOrNull(
                "{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":\"many\",\"prompt_tokens_details\":null,"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":-4}}}")));
    }

    @Test
    void aPartIsNeverCountedAsMoreThanItsWhole() {
        assertEquals(new TokenCounts(10, 5, 10, 0, 5), CHAT.answerUsage(JsonTrees.parseOrNull(
                "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":99},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":99}}}")));
    }

    @Test
    void aCompatibleServersCacheWritesAreCountedAsTheInputPartTheyAre() {
        assertEquals(new TokenCounts(100, 5, 60, 30, 0), CHAT.answerUsage(JsonTrees.parseOrNull(
                "{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":5,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":60,\"cache_write_tokens\":30}}}")));
    }

    @Test
    void aStreamReportsTheUsageOfItsFinalUsageOnlyChunkAndNothingBefore() {
        StreamUsage usage = CHAT.streamUsage();
        List<SseEvent> middle = List.of(
                chunk("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}],\"usage\":null}"),
                chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"usage\\\": {\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}],\"usage\":null}"),
                chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"usage\"},\"finish_reason\":null}],\"usage\" : null}"),
                chunk("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}"));
        for (SseEvent e : middle) {
            assertFalse(usage.onEvent(e), e.data());
            assertEquals(TokenCounts.NONE, usage.counts());
        }
        assertTrue(usage.onEvent(chunk("\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,"
                + "\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}")));
        assertEquals(new TokenCounts(19, 10, 0, 0, 0), usage.counts());
        assertFalse(usage.onEvent(SseEvent.data("[DONE]")));
        assertEquals(new TokenCounts(19, 10, 0, 0, 0), usage.counts());
    }

    @Test
    void usageOnAChunkThatAlsoCarriesChoicesCountsButIsNoUsageOnlyChunk() {
        StreamUsage usage = CHAT.streamUsage();
        // Servers that report running totals, and ones that put the usage on the finishing chunk.
        assertFalse(usage.onEvent(chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1}}")));
        assertEquals(new TokenCounts(12, 1, 0, 0, 0), usage.counts());
        assertFalse(usage.onEvent(chunk("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\": {\"prompt_tokens\":12,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":4},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}")));
        assertEquals(new TokenCounts(12, 2, 4, 0, 1), usage.counts());
    }

    @Test
    void errorsAndTextThatIsNoJsonAreNoUsage() {
        StreamUsage usage = CHAT.streamUsage();
        assertFalse(usage.onEvent(SseEvent.data("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
        assertFalse(usage.onEvent(SseEvent.data("{\"usage\":{\"prompt_tokens\":3")));
        assertEquals(TokenCounts.NONE, usage.counts());
    }

    @Test
    void aStreamedRequestWithoutIncludeUsageGetsItKeepingItsOtherStreamOptions() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", "gpt-4o");
        request.put("stream", true);
        request.put("stream_options", Map.of("include_obfuscation", false, "include_usage", false));
        Map<String, Object> asked = CHAT.withStreamUsage(request);
        assertEquals(Map.of("include_obfuscation", false, "include_usage", true), asked.get("stream_options"));
        assertEquals("gpt-4o", asked.get("model"));
        assertEquals(Map.of("include_obfuscation", false, "include_usage", false), request.get("stream_options"),
                "the caller's request is left as it was");

        Map<String, Object> bare = Map.of("model", "gpt-4o", "stream", true);
        assertEquals(Map.of("include_usage", true), CHAT.withStreamUsage(bare).get("stream_options"));
        Map<String, Object> nullOptions = new LinkedHashMap<>(bare);
        nullOptions.put("stream_options", null);
        assertEquals(Map.of("include_usage", true), CHAT.withStreamUsage(nullOptions).get("stream_options"));
    }

    @Test
    void nothingIsAddedToARequestThatAlreadyAsksIsNotStreamedOrHasStreamOptionsThatAreNoObject() {
        assertNull(CHAT.withStreamUsage(Map.of("stream", true, "stream_options", Map.of("include_usage", true))));
        assertNull(CHAT.withStreamUsage(Map.of("model", "gpt-4o")));
        assertNull(CHAT.withStreamUsage(Map.of("stream", false)));
        assertNull(CHAT.withStreamUsage(Map.of("stream", true, "stream_options", "usage please")));
    }
}
