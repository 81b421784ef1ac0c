package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.TranslationSettings;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiToAnthropicRequestTest {

    /** The top-level fields of an Anthropic Messages request; Anthropic rejects any other. */
    private static final Set<String> ANTHROPIC_REQUEST_FIELDS = Set.of("model", "messages", "max_tokens", "system",
            "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools", "tool_choice",
            "thinking", "service_tier", "container", "mcp_servers");

    private final OpenAiToAnthropicRequest translator =
            new OpenAiToAnthropicRequest(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "system", "images", "tools", "tool-results", "multi-turn-tools", "thinking",
            "thinking-budget-cut", "thinking-too-small", "thinking-forced-tool", "parameters", "stop-and-top-p",
            "merge-consecutive", "tool-result-after-user-text"})
    void translatesAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("request/openai-to-anthropic/" + name);
        ObjectNode input = GoldenFiles.input(golden);
        ObjectNode untouched = input.deepCopy();

        ObjectNode actual = translator.translate(input, golden.get("model").textValue());

        GoldenFiles.assertJson(golden.get("expected"), actual);
        GoldenFiles.assertJson(untouched, input);
        assertAnthropicAccepts(actual);
    }

    @Test
    void configuredSettingsSetTheDefaultLimitAndTheBudgets() {
        OpenAiToAnthropicRequest configured =
                new OpenAiToAnthropicRequest(new TranslationSettings(2000, 2048, 3000, 5000), GoldenFiles.sequentialIds());
        ObjectNode request = (ObjectNode) GoldenFiles.MAPPER.createObjectNode()
                .put("model", "m").put("reasoning_effort", "low");
        request.putArray("messages").addObject().put("role", "user").put("content", "hi");

        ObjectNode actual = configured.translate(request, "claude");

        assertEquals(2000 + 2048, actual.get("max_tokens").asInt());
        assertEquals(2048, actual.get("thinking").get("budget_tokens").asInt());
        request.put("reasoning_effort", "none");
        assertFalse(configured.translate(request, "claude").has("thinking"));
        assertEquals(2000, configured.translate(request, "claude").get("max_tokens").asInt());
    }

    /** What the fake Anthropic upstream and the real API check: known fields only, no system role, alternation. */
    private static void assertAnthropicAccepts(ObjectNode request) {
        for (Iterator<String> fields = request.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            assertTrue(ANTHROPIC_REQUEST_FIELDS.contains(field), "Anthropic rejects the field " + field);
        }
        assertTrue(request.get("max_tokens").asLong() > 0, "max_tokens is required");
        String previousRole = null;
        for (JsonNode message : request.get("messages")) {
            String role = message.get("role").textValue();
            assertTrue(role.equals("user") || role.equals("assistant"), "role " + role);
            assertFalse(role.equals(previousRole), "roles must alternate");
            previousRole = role;
        }
    }
}
