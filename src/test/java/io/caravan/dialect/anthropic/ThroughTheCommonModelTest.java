package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pair of two dialects that are not the common model goes through it in two steps. With two plug-ins only, the
 * pair is Anthropic to Anthropic, joined at OpenAI Chat Completions: what comes out must be Anthropic again, with
 * the meaning kept. This is the path a Gemini caller of an Anthropic credential will take.
 */
class ThroughTheCommonModelTest {

    private static final TranslationSettings SETTINGS = ShippedSettings.translation();
    private final Translator chain = Translators.through(AnthropicDialect.INSTANCE.callerTranslator(SETTINGS),
            AnthropicDialect.INSTANCE.upstreamTranslator(SETTINGS));

    @Test
    void aRequestComesOutInTheUpstreamsDialectWithItsMeaning() {
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode().put("model", "alias").put("max_tokens", 100);
        request.put("system", "Be brief.");
        request.putArray("messages").addObject().put("role", "user").put("content", "Count to three.");

        ObjectNode upstream = chain.request(request, "claude-sonnet-4-5");

        assertEquals("claude-sonnet-4-5", upstream.path("model").asText());
        assertEquals(100, upstream.path("max_tokens").asInt());
        assertEquals("Be brief.", text(upstream.path("system")));
        assertEquals("user", upstream.path("messages").path(0).path("role").asText());
        assertEquals("Count to three.", text(upstream.path("messages").path(0).path("content")));
    }

    /** Redacted thinking has no form in the common model, so this path cannot carry it; text and tools it can. */
    @Test
    void aWholeAnswerComesBackInTheCallersDialect() {
        JsonNode golden = Golden.load("response/anthropic-to-openai/tool-use");
        ObjectNode answer = GoldenFiles.input(golden);

        ObjectNode caller = chain.response(answer, "alias");

        assertEquals("message", caller.path("type").asText());
        assertEquals("alias", caller.path("model").asText());
        assertEquals(answer.path("stop_reason").asText(), caller.path("stop_reason").asText());
        assertEquals(answer.path("usage").path("output_tokens").asInt(), caller.path("usage").path("output_tokens").asInt());
        assertEquals(texts(answer), texts(caller));
    }

    /** The upstream half sees the common request the caller half made, which asks for usage: the counts arrive. */
    @Test
    void aStreamComesBackEventByEventWithItsUsage() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/text-include-usage");
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode().put("model", "alias").put("max_tokens", 100)
                .put("stream", true);
        request.putArray("messages").addObject().put("role", "user").put("content", "Count.");

        List<SseEvent> out = GoldenFiles.run(chain.stream(request, "alias", "req_1"), golden.get("input"));

        List<String> names = out.stream().map(SseEvent::event).toList();
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), names);
        assertEquals("1, 2, 3", JsonTrees.parseOrNull(out.get(2).data()).path("delta").path("text").asText());
        assertEquals(30, JsonTrees.parseOrNull(out.get(4).data()).path("usage").path("output_tokens").asInt());
    }

    @Test
    void anErrorComesBackInTheCallersShape() {
        String upstream = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}";

        ObjectNode caller = chain.error(429, upstream);

        assertEquals("error", caller.path("type").asText());
        assertEquals("rate_limit_error", caller.path("error").path("type").asText());
        assertEquals("Slow down", caller.path("error").path("message").asText());
    }

    /** A string, or the joined text of an array of text blocks. */
    private static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder sb = new StringBuilder();
        node.forEach(block -> sb.append(block.path("text").asText()));
        return sb.toString();
    }

    private static String texts(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        message.path("content").forEach(block -> sb.append(block.path("type").asText()).append(':')
                .append(block.path("text").asText()).append(block.path("name").asText())
                .append(block.path("input").toString()).append('|'));
        return sb.toString();
    }
}
