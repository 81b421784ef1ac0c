package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the translators produce for callers, read by the official SDKs the callers use (anthropic-java and
 * openai-java): every body and event must parse and validate, and the SDKs' own stream accumulators must rebuild
 * the answer from the translated events.
 */
class SdkParsesTranslationsTest {

    private static final JsonMapper ANTHROPIC_SDK = com.anthropic.core.ObjectMappers.jsonMapper();
    private static final JsonMapper OPENAI_SDK = com.openai.core.ObjectMappers.jsonMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-calls", "reasoning", "usage-cache", "refusal"})
    void anthropicSdkReadsTranslatedMessages(String name) throws Exception {
        JsonNode golden = Golden.load("response/openai-to-anthropic/" + name);
        String body = JsonTrees.write(new OpenAiToAnthropicResponse(GoldenFiles.sequentialIds())
                .translate(GoldenFiles.input(golden), "claude-sonnet-4-5"));

        Message message = ANTHROPIC_SDK.readValue(body, Message.class).validate();

        assertEquals(golden.get("expected").get("content").size(), message.content().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-use", "tool-use-only", "thinking", "usage-cache"})
    void openAiSdkReadsTranslatedCompletions(String name) throws Exception {
        JsonNode golden = Golden.load("response/anthropic-to-openai/" + name);
        String body = JsonTrees.write(new AnthropicToOpenAiResponse(GoldenFiles.sequentialIds(), Golden.CLOCK)
                .translate(GoldenFiles.input(golden), "gpt-4o"));

        ChatCompletion completion = OPENAI_SDK.readValue(body, ChatCompletion.class).validate();

        assertEquals(1, completion.choices().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text-usage-late", "tool-calls", "reasoning", "no-usage-done", "finish-without-done",
            "gemini-tool-call"})
    void anthropicSdkAccumulatesTranslatedStreams(String name) throws Exception {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/" + name);
        MessageAccumulator accumulator = MessageAccumulator.create();

        for (SseEvent event : GoldenFiles.run(new OpenAiToAnthropicStream("claude-sonnet-4-5", "req_test", GoldenFiles.sequentialIds()),
                golden.get("input"))) {
            accumulator.accumulate(ANTHROPIC_SDK.readValue(event.data(), RawMessageStreamEvent.class).validate());
        }
        Message message = accumulator.message().validate();

        JsonNode lastDelta = golden.get("expected").get(golden.get("expected").size() - 2).get("data");
        assertEquals(lastDelta.get("usage").get("output_tokens").asLong(), message.usage().outputTokens());
        assertEquals(lastDelta.get("delta").get("stop_reason").textValue(),
                message.stopReason().orElseThrow().asString());
    }

    @Test
    void anthropicSdkRebuildsToolInputFromTranslatedArgumentFragments() throws Exception {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/tool-calls");
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (SseEvent event : GoldenFiles.run(new OpenAiToAnthropicStream("claude", "req_test", GoldenFiles.sequentialIds()),
                golden.get("input"))) {
            accumulator.accumulate(ANTHROPIC_SDK.readValue(event.data(), RawMessageStreamEvent.class));
        }

        Message message = accumulator.message();

        assertEquals("Checking both.", message.content().get(0).asText().text());
        assertEquals("Paris", message.content().get(1).asToolUse()._input().convert(JsonNode.class)
                .get("location").textValue());
        assertEquals("London", message.content().get(2).asToolUse()._input().convert(JsonNode.class)
                .get("location").textValue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "text-include-usage", "tool-calls", "thinking"})
    void openAiSdkAccumulatesTranslatedStreams(String name) throws Exception {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/" + name);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        int done = 0;

        for (SseEvent event : GoldenFiles.run(new AnthropicToOpenAiStream("gpt-4o", golden.get("includeUsage").asBoolean(),
                GoldenFiles.sequentialIds(), Golden.CLOCK), golden.get("input"))) {
            if (event.data().equals("[DONE]")) {
                done++;
                continue;
            }
            accumulator.accumulate(OPENAI_SDK.readValue(event.data(), ChatCompletionChunk.class).validate());
        }
        ChatCompletion completion = accumulator.chatCompletion().validate();

        assertEquals(1, done);
        assertTrue(completion.choices().get(0).finishReason() != null);
        assertEquals(golden.get("includeUsage").asBoolean(), completion.usage().isPresent());
    }

    @Test
    void openAiSdkRebuildsToolCallsFromTranslatedArgumentFragments() throws Exception {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/tool-calls");
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        for (SseEvent event : GoldenFiles.run(new AnthropicToOpenAiStream("gpt-4o", false, GoldenFiles.sequentialIds(),
                Golden.CLOCK), golden.get("input"))) {
            if (!event.data().equals("[DONE]")) {
                accumulator.accumulate(OPENAI_SDK.readValue(event.data(), ChatCompletionChunk.class));
            }
        }

        var message = accumulator.chatCompletion().choices().get(0).message();

        assertEquals("Checking both.", message.content().orElseThrow());
        var calls = message.toolCalls().orElseThrow();
        assertEquals("{\"location\": \"San Francisco, CA\"}", calls.get(0).asFunction().function().arguments());
        assertEquals("{\"tz\": \"America/Los_Angeles\"}", calls.get(1).asFunction().function().arguments());
    }
}
