package io.caravan.dialect.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.anthropic.AnthropicDialect;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses/input_tokens} answered locally: a Responses request is counted as the Anthropic request
 * it translates to, by the one estimator the gateway has, in the shape openai-java's InputTokenCountResponse reads.
 */
class ResponsesTokenEstimateTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) GoldenFiles.MAPPER.readTree(text);
    }

    private static long estimate(String request) throws Exception {
        JsonNode count = ResponsesDialect.INSTANCE.estimatedTokenCount(json(request));
        assertEquals("response.input_tokens", count.path("object").asText(), count.toString());
        assertTrue(count.path("input_tokens").isIntegralNumber(), count.toString());
        return count.path("input_tokens").asLong();
    }

    @Test
    void aRequestCountsAsTheAnthropicRequestItTranslatesTo() throws Exception {
        String responses = "{\"model\":\"m\",\"instructions\":\"Be terse.\",\"input\":[{\"role\":\"user\",\"content\":"
                + "\"What is the weather in Paris today?\"},{\"type\":\"function_call\",\"call_id\":\"call_1\","
                + "\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},{\"type\":"
                + "\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"sunny\"}],\"tools\":[{\"type\":"
                + "\"function\",\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":"
                + "{\"type\":\"object\"}}]}";
        String anthropic = "{\"model\":\"m\",\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"What is the weather in Paris today?\"},{\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":"
                + "\"sunny\"}]}],\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
                + "\"input_schema\":{\"type\":\"object\"}}]}";

        long expected = AnthropicDialect.INSTANCE.estimatedTokenCount(json(anthropic)).path("input_tokens").asLong();

        assertEquals(expected, estimate(responses));
    }

    @Test
    void moreInputCountsMore() throws Exception {
        long oneWord = estimate("{\"model\":\"m\",\"input\":\"hi\"}");
        long longer = estimate("{\"model\":\"m\",\"input\":\"" + "word ".repeat(400) + "\"}");
        long withReasoning = estimate("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"" + "thought ".repeat(100)
                + "\"}],\"encrypted_content\":\"" + ThinkingSignatures.sealed("sig") + "\"},{\"role\":\"assistant\","
                + "\"content\":\"hello\"}]}");

        assertTrue(oneWord > 0);
        assertTrue(longer >= oneWord + 400, oneWord + " then " + longer);
        assertTrue(withReasoning > oneWord + 100, "replayed thinking is input too: " + withReasoning);
    }

    @Test
    void onlyWhatTheGatewaySealedOpensAsASignature() {
        assertEquals("EqQBCg", ThinkingSignatures.opened(ThinkingSignatures.sealed("EqQBCg")));
        assertEquals(null, ThinkingSignatures.opened("gAAAAABo-openai-own"));
        assertEquals(null, ThinkingSignatures.opened(ThinkingSignatures.sealed("")));
        assertEquals(null, ThinkingSignatures.opened(null));
    }
}
