package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationSettings;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the translation to Anthropic places prompt-cache breakpoints when the settings ask: the last tool, the
 * system prompt, the previous user turn and the newest message, at most four, never on thinking, none when the
 * caller placed its own, and none with the shipped settings.
 */
class CacheBreakpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TranslationSettings SHIPPED = ShippedSettings.translation();
    private static final TranslationSettings AUTO = new TranslationSettings(SHIPPED.defaultMaxTokens(),
            SHIPPED.lowThinkingBudget(), SHIPPED.mediumThinkingBudget(), SHIPPED.highThinkingBudget(),
            SHIPPED.omitUnservableTools(), true);
    private static final String SIGNATURE = "EqQBCgIYAhIMsig";

    private static ObjectNode translate(TranslationSettings settings, String chatRequest) throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree(chatRequest);
        ObjectNode untouched = input.deepCopy();
        ObjectNode anthropic = new OpenAiToAnthropicRequest(settings, GoldenFiles.sequentialIds()).translate(input, "claude");
        assertEquals(untouched, input, "the caller's request is not changed");
        return anthropic;
    }

    /** The JSON pointers of every block that carries {@code cache_control}, each checked to be ephemeral. */
    private static List<String> breakpoints(ObjectNode request) {
        List<String> found = new ArrayList<>();
        collect(request, "", found);
        return found;
    }

    private static void collect(JsonNode node, String pointer, List<String> found) {
        if (node.isObject()) {
            if (node.has("cache_control")) {
                assertEquals("{\"type\":\"ephemeral\"}", node.get("cache_control").toString(), pointer);
                found.add(pointer);
            }
            node.fields().forEachRemaining(field -> collect(field.getValue(), pointer + "/" + field.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    private static final String AGENT_TURN = """
            {"model": "claude", "messages": [
              {"role": "system", "content": "You are a coding agent."},
              {"role": "user", "content": "Fix the build."},
              {"role": "assistant", "content": null, "reasoning_content": "Look first.", "reasoning_signature": "%s",
               "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "read", "arguments": "{}"}}]},
              {"role": "tool", "tool_call_id": "call_1", "content": "pom.xml"},
              {"role": "assistant", "content": "Reading it."},
              {"role": "user", "content": "Go on."}],
             "tools": [{"type": "function", "function": {"name": "read", "parameters": {"type": "object"}}},
                       {"type": "function", "function": {"name": "write", "parameters": {"type": "object"}}}]}
            """.formatted(SIGNATURE);

    @Test
    void anAgentTurnGetsFourBreakpointsOnToolsSystemPreviousUserTurnAndNewestMessage() throws Exception {
        ObjectNode anthropic = translate(AUTO, AGENT_TURN);
        // messages: 0 user, 1 assistant (thinking, tool_use), 2 user (tool_result), 3 assistant, 4 user
        assertEquals(List.of("/system/0", "/messages/2/content/0", "/messages/4/content/0", "/tools/1"),
                breakpoints(anthropic), "in the order of the request's fields");
        assertEquals("You are a coding agent.", anthropic.at("/system/0/text").textValue());
        assertEquals("Go on.", anthropic.at("/messages/4/content/0/text").textValue());
        assertEquals("tool_result", anthropic.at("/messages/2/content/0/type").textValue());
        assertFalse(anthropic.at("/tools/0").has("cache_control"));
    }

    @Test
    void theShippedSettingsPlaceNone() throws Exception {
        assertEquals(List.of(), breakpoints(translate(SHIPPED, AGENT_TURN)));
    }

    @Test
    void aFirstTurnWithoutToolsOrSystemMarksItsOneMessage() throws Exception {
        ObjectNode anthropic = translate(AUTO, "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(List.of("/messages/0/content/0"), breakpoints(anthropic));
        assertEquals("{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}",
                anthropic.at("/messages/0/content/0").toString());
    }

    @Test
    void aBreakpointGoesOnTheLastBlockThatIsNoThinking() throws Exception {
        ObjectNode anthropic = translate(AUTO, """
                {"model": "claude", "messages": [
                  {"role": "user", "content": "Think."},
                  {"role": "assistant", "content": [{"type": "text", "text": "Thought."}],
                   "reasoning_content": "Hm.", "reasoning_signature": "%s"},
                  {"role": "assistant", "content": ""}]}
                """.formatted(SIGNATURE));
        // the assistant turn is merged into one message: thinking, text
        assertEquals(List.of("/messages/0/content/0", "/messages/1/content/1"), breakpoints(anthropic));
        assertEquals("thinking", anthropic.at("/messages/1/content/0/type").textValue());

        ObjectNode onlyThinking = translate(AUTO, """
                {"model": "claude", "messages": [
                  {"role": "user", "content": "Think."},
                  {"role": "assistant", "content": "", "reasoning_content": "Hm.", "reasoning_signature": "%s"}]}
                """.formatted(SIGNATURE));
        assertEquals("thinking", onlyThinking.at("/messages/1/content/0/type").textValue());
        assertEquals(List.of("/messages/0/content/0"), breakpoints(onlyThinking), "a lone thinking block gets none");
    }

    @Test
    void aCallersOwnBreakpointsAreKeptAndNoneAdded() throws Exception {
        ObjectNode anthropic = translate(AUTO, """
                {"model": "claude", "messages": [
                  {"role": "system", "content": "Long rules."},
                  {"role": "user", "content": [{"type": "text", "text": "Big document", "cache_control": {"type": "ephemeral"}},
                                               {"type": "text", "text": "Question?"}]}],
                 "tools": [{"type": "function", "function": {"name": "read", "parameters": {"type": "object"}}}]}
                """);
        assertEquals(List.of("/messages/0/content/0"), breakpoints(anthropic));
        assertEquals("Long rules.", anthropic.get("system").textValue());
    }
}
