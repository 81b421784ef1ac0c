package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private final TokenEstimator estimator = new TokenEstimator();

    @Test
    void countsSystemMessagesToolBlocksImagesAndToolDefinitionsAsDocumented() throws Exception {
        JsonNode request = GoldenFiles.MAPPER.readTree("""
                {
                  "model": "claude-sonnet-4-5",
                  "system": "You are helpful.",
                  "messages": [
                    {"role": "user", "content": "Hello there!"},
                    {"role": "assistant", "content": [
                      {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
                    ]},
                    {"role": "user", "content": [
                      {"type": "tool_result", "tool_use_id": "toolu_1", "content": "22C sunny"},
                      {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
                    ]}
                  ],
                  "tools": [
                    {"name": "get_weather", "description": "Get weather", "input_schema": {"type": "object"}}
                  ]
                }
                """);
        int requestOverhead = 3;
        int system = 4 + 4;                               // "You are helpful." 16 characters
        int greeting = 4 + 3;                             // "Hello there!" 12 characters
        int toolUse = 4 + (8 + 3 + 4);                    // name 11 characters, {"city":"Paris"} 16
        int toolResultAndImage = 4 + (8 + 3) + 1600;      // "22C sunny" 9 characters, one image
        int toolDefinition = 16 + 3 + 3 + 5 + 300;        // name, "Get weather" 11, {"type":"object"} 17, preamble

        assertEquals(requestOverhead + system + greeting + toolUse + toolResultAndImage + toolDefinition,
                estimator.estimate(request));
    }

    @Test
    void systemTextBlocksThinkingAndTextDocumentsCountAsText() {
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode();
        request.putArray("system").addObject().put("type", "text").put("text", "abcdefgh");
        ArrayNode messages = request.putArray("messages");
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putArray("content").addObject().put("type", "thinking").put("thinking", "abcd").put("signature", "s");
        ObjectNode user = messages.addObject();
        user.put("role", "user").putArray("content").addObject().put("type", "document")
                .putObject("source").put("type", "text").put("media_type", "text/plain").put("data", "abcdefghijkl");

        assertEquals(3 + (4 + 2) + (4 + 1) + (4 + 3), estimator.estimate(request));
    }

    @Test
    void wideCharactersCountATokenEachAndNarrowOnesAQuarter() {
        assertEquals(4, TokenEstimator.text("你好世界"));
        assertEquals(2, TokenEstimator.text("héllo"));
        assertEquals(1, TokenEstimator.text("😀"));
        assertEquals(0, TokenEstimator.text(""));
    }

    @Test
    void noToolsMeansNoToolPreamble() {
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode();
        request.putArray("messages").addObject().put("role", "user").put("content", "hi");

        int estimate = estimator.estimate(request);

        assertEquals(3 + 4 + 1, estimate);
        assertTrue(estimate < TokenEstimator.TOOL_USE_SYSTEM_PROMPT);
    }
}
