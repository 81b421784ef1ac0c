package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code caravan.translation.omit-unservable-tools=true}: what Codex CLI declares by default (its hosted
 * {@code web_search} and its {@code namespace} of sub-agent tools beside its function tools) is served by a Chat
 * Completions credential with the function tools only, while a native Responses credential still gets every tool.
 */
class ResponsesOmittedToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODEX_TOOLS = "\"tools\":[{\"type\":\"function\",\"name\":\"exec_command\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}}},"
            + "{\"type\":\"namespace\",\"name\":\"multi_agent_v1\",\"description\":\"sub-agents\",\"tools\":[]},"
            + "{\"type\":\"web_search\",\"external_web_access\":false}]";

    private static FakeUpstream chat;
    private static FakeUpstream account;
    private static TestGateway gateway;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        chat = FakeUpstream.openAi();
        account = FakeUpstream.openAiResponses();
        gateway = TestGateway.builder()
                .credential("chat", chat, "[gpt-chat]")
                .rawCredential("  - name: account\n    kind: openai\n    apis: [chat, responses]\n"
                        + "    base-url: " + account.baseUrl() + "\n    api-key: " + account.apiKey() + "\n"
                        + "    models: [gpt-native]\n")
                .set("caravan.translation.omit-unservable-tools", "true")
                .start();
        raw = new RawClient(gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, chat, account);
    }

    @Test
    void aTranslatedRequestKeepsItsFunctionToolsOnly() throws Exception {
        chat.enqueue(Reply.text("done"));

        HttpResponse<String> r = raw.post("/v1/responses",
                "{\"model\":\"gpt-chat\",\"input\":\"run ls\",\"store\":false," + CODEX_TOOLS + "}");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("exec_command"), toolNames(chat.lastRequest().json().path("tools")));
    }

    @Test
    void aNativeCredentialStillGetsEveryTool() throws Exception {
        HttpResponse<String> r = raw.post("/v1/responses",
                "{\"model\":\"gpt-native\",\"input\":\"run ls\",\"store\":false," + CODEX_TOOLS + "}");

        assertEquals(200, r.statusCode(), r.body());
        JsonNode tools = account.lastRequest().json().path("tools");
        assertEquals(3, tools.size(), tools.toString());
        assertEquals("web_search", tools.path(2).path("type").asText());
    }

    private static List<String> toolNames(JsonNode chatTools) {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : chatTools) {
            names.add(tool.path("function").path("name").asText());
        }
        return names;
    }
}
