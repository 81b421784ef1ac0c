package io.caravan.dialect.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.caravan.dialect.Refusal;
import io.caravan.dialects.Dialects;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponsesRequestCheckTest {

    private static Map<String, Object> parse(String json) throws Exception {
        return GoldenFiles.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    private static Refusal refusal(String json) throws Exception {
        return ResponsesDialect.INSTANCE.refusal(ResponsesDialect.INSTANCE.endpoints().get(0), parse(json),
                ShippedSettings.translation());
    }

    /** Every request of the golden request files is one Chat Completions can carry. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "items", "function-round-trip", "tools", "tool-choice-required", "json-schema",
            "json-object", "stream-reasoning", "reasoning-items"})
    void whatTranslatesIsAccepted(String name) throws Exception {
        assertNull(refusal(Golden.load("request/" + name).get("input").toString()));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}|Previous response with id 'resp_1' not found",
        "{\"model\":\"m\",\"input\":\"hi\",\"conversation\":{\"id\":\"conv_1\"}}|'conversation' needs state kept by the upstream",
        "{\"model\":\"m\",\"input\":\"hi\",\"prompt\":{\"id\":\"pmpt_1\"}}|'prompt' needs state kept by the upstream",
        "{\"model\":\"m\",\"input\":\"hi\",\"background\":true}|'background: true' needs state kept by the upstream",
        "{\"model\":\"m\"}|must have 'input'",
        "{\"model\":\"m\",\"input\":42}|must have 'input'",
        "{\"model\":\"m\",\"input\":\"hi\",\"instructions\":[1]}|'instructions' must be a string",
        "{\"model\":\"m\",\"input\":[\"hi\"]}|'input[0]' must be an object",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\"}]}|'input[0].summary' must be an array",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"output_text\",\"text\":\"t\"}]}]}|'input[0].summary[0]' must be a summary_text part",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\"}]}]}|'input[0].summary[0].text' must be a string",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[],\"content\":\"x\"}]}|'input[0].content' must be an array",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[],\"content\":[{\"type\":\"text\",\"text\":\"t\"}]}]}|'input[0].content[0]' must be a reasoning_text part",
        "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":7}]}|'input[0].encrypted_content' must be a string",
        "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":\"high\"}|'reasoning' must be an object",
        "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"max\"}}|'reasoning.effort' 'max' cannot be served",
        "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":3}}|'reasoning.effort' cannot be served",
        "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"summary\":\"verbose\"}}|'reasoning.summary' must be auto, concise or detailed",
        "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"generate_summary\":true}}|'reasoning.generate_summary' must be",
        "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}|Input item type 'item_reference'",
        "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}|'input[0].role' must be one of",
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}|Content part type 'input_file' (input[0].content[0])",
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]}|uploaded files ('file_id') are not supported",
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"n\"}]}|'input[0].arguments' must be a string",
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":[{\"type\":\"input_image\"}]}]}|input_text parts only",
        "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}|Tool type 'web_search' (tools[0])",
        "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"local_shell\"}]}|Tool type 'local_shell' (tools[0])",
        "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\"}]}|'tools[0].name' must be a string",
        "{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":{\"type\":\"file_search\"}}|'tool_choice' must be",
        "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"grammar\"}}}|'text.format.type' must be",
        "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}|needs a 'schema' object"})
    void whatChatCompletionsCannotCarryIsRefusedByName(String request, String expected) throws Exception {
        Refusal refusal = refusal(request);

        assertNotNull(refusal, request);
        assertTrue(refusal.message().contains(expected), refusal.message());
        assertNotNull(refusal.code());
    }

    /** Every effort Chat Completions' reasoning_effort has, Codex's and the SDK's xhigh and none among them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "minimal", "low", "medium", "high", "xhigh"})
    void everyEffortChatCompletionsHasIsAccepted(String effort) throws Exception {
        assertNull(refusal("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"" + effort
                + "\",\"summary\":\"detailed\"}}"));
        assertNull(refusal("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":null,\"summary\":null}}"));
    }

    /** As Codex sends a reasoning item back: no id, content only when it has reasoning text, encrypted_content null. */
    @Test
    void codexReasoningItemsAreAccepted() throws Exception {
        assertNull(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":"
                + "\"summary_text\",\"text\":\"t\"}],\"encrypted_content\":null},{\"type\":\"reasoning\","
                + "\"summary\":[],\"content\":[{\"type\":\"reasoning_text\",\"text\":\"r\"}],"
                + "\"encrypted_content\":\"gAAAA\"}],\"include\":[\"reasoning.encrypted_content\"]}"));
    }

    @Test
    void anUnservableEffortIsAnUnsupportedParameter() throws Exception {
        assertEquals("unsupported_parameter",
                refusal("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"max\"}}").code());
    }

    /** Set to omit what Chat Completions cannot carry, the check lets hosted tools by; the rest is checked as ever. */
    @Test
    void toolsThatCannotBeCarriedPassWhenTheGatewayOmitsThem() throws Exception {
        String hosted = "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"},"
                + "{\"type\":\"namespace\",\"name\":\"multi_agent_v1\",\"tools\":[]}]}";
        assertNotNull(refusal(hosted), "refused by default");
        assertNull(ResponsesRequestCheck.refusal(parse(hosted), true));
        Refusal stillChecked = ResponsesRequestCheck.refusal(
                parse("{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"},{\"type\":\"function\"}]}"),
                true);
        assertNotNull(stillChecked);
        assertTrue(stillChecked.message().contains("'tools[1].name' must be a string"), stillChecked.message());
    }

    @Test
    void aPreviousResponseIdLeftInTheRequestIsNotFound() throws Exception {
        assertEquals("previous_response_not_found",
                refusal("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"r\"}").code());
        assertNull(refusal("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":null}"),
                "an explicit null asks for nothing");
    }

    @Test
    void noCredentialCanBeOfTheResponsesDialect() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialects.fromId("responses"));
        assertTrue(e.getMessage().contains("expected one of: openai, anthropic"), e.getMessage());
        assertTrue(Dialects.all().contains(ResponsesDialect.INSTANCE), "its endpoints are served");
    }
}
