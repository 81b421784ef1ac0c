package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11: Codex CLI itself ({@code codex exec}, npm {@code @openai/codex} at {@link CodexInstallation#VERSION})
 * with a provider pointing at the booted gateway, over a Chat Completions upstream and an Anthropic one (the
 * translated path). What the user sees is checked (exit code, the final message Codex prints), how Codex reached
 * the gateway (seen on the wire by a {@link ConnectionTap}), and what
 * reached the upstream in its own dialect: the prompt, Codex's shell tool, and, after the agent ran the command the
 * upstream asked for, the command's real output in the tool result of the next request.
 */
class CodexCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CHAT_MODEL = "gpt-codex-chat";
    private static final String CLAUDE_MODEL = "claude-codex";
    /** Codex's shell tool (unified exec): {@code {"cmd": "..."}} runs in a PTY and returns its output. */
    private static final String SHELL_TOOL = "exec_command";
    /** The output ({@link #COMMAND_OUTPUT}) appears in no request unless the shell evaluated the command. */
    private static final String COMMAND = "echo caravan-$((6*7))";
    private static final String COMMAND_OUTPUT = "caravan-42";
    private static final String RESPONSES_POST = "POST /v1/responses HTTP/1.1";

    private static FakeUpstream chatUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;

    @TempDir
    Path root;
    private Path codex;
    private ConnectionTap tap;

    /** The upstream kinds a translated Codex turn can land on. */
    enum Upstream {
        CHAT_COMPLETIONS(CHAT_MODEL), ANTHROPIC_MESSAGES(CLAUDE_MODEL);

        final String model;

        Upstream(String model) {
            this.model = model;
        }

        FakeUpstream fake() {
            return this == CHAT_COMPLETIONS ? chatUpstream : anthropicUpstream;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        chatUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("codex-chat", chatUpstream, "[" + CHAT_MODEL + "]")
                .credential("codex-anthropic", anthropicUpstream, "[" + CLAUDE_MODEL + "]")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (chatUpstream != null) {
            chatUpstream.close();
        }
        if (anthropicUpstream != null) {
            anthropicUpstream.close();
        }
    }

    @BeforeEach
    void requireCodex() {
        codex = CodexInstallation.require();
    }

    @AfterEach
    void closeTap() throws IOException {
        if (tap != null) {
            tap.close();
        }
    }

    /** One Codex turn through a tap in front of the gateway, set up as for a translated credential. */
    private CodexResult exec(String model, String prompt) throws Exception {
        tap = new ConnectionTap(gateway.port());
        return new CodexExec(codex, root, tap.baseUrl(), model).functionToolsOnly().run(prompt);
    }

    /** Every connection Codex opened began with a POST: the HTTP transport, no WebSocket upgrade tried. */
    private void assertHttpTransport() {
        List<String> lines = tap.openingRequestLines();
        assertFalse(lines.isEmpty(), "Codex opened no connection");
        assertTrue(lines.stream().allMatch(RESPONSES_POST::equals), lines.toString());
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aTextTurnPrintsTheUpstreamsAnswer(Upstream upstream) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        fake.enqueue(Reply.text("The caravan has arrived."));

        CodexResult result = exec(upstream.model, "Has the caravan arrived?");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The caravan has arrived.", result.stdout().strip(), result.describe());
        assertHttpTransport();
        List<RecordedRequest> sent = fake.requests().subList(before, fake.requestCount());
        assertEquals(1, sent.size(), sent.toString());
        RecordedRequest request = sent.get(0);
        assertTrue(request.streamRequested(), "Codex streams: " + request);
        assertTrue(lastUserText(request.json()).contains("Has the caravan arrived?"), request.toString());
        assertTrue(declaredTools(upstream, request.json()).contains(SHELL_TOOL), request.toString());
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void theAgentRunsTheShellCommandTheUpstreamAsksForAndSendsItsOutputBack(Upstream upstream) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        fake.enqueue(Reply.toolCall(SHELL_TOOL, "{\"cmd\":\"" + COMMAND + "\"}"));
        fake.enqueue(Reply.text("The command printed " + COMMAND_OUTPUT + "."));

        CodexResult result = exec(upstream.model, "Run the caravan check.");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The command printed " + COMMAND_OUTPUT + ".", result.stdout().strip(), result.describe());
        assertHttpTransport();
        List<RecordedRequest> sent = fake.requests().subList(before, fake.requestCount());
        assertEquals(2, sent.size(), sent.toString());
        assertFalse(sent.get(0).body().contains(COMMAND_OUTPUT), "no output before the command ran: " + sent.get(0));
        JsonNode followUp = sent.get(1).json();
        ToolExchange exchange = toolExchange(upstream, followUp);
        assertEquals(SHELL_TOOL, exchange.name(), followUp.toString());
        assertEquals(COMMAND, exchange.arguments().path("cmd").asText(), followUp.toString());
        assertTrue(exchange.output().contains(COMMAND_OUTPUT), "the command's output in the tool result: "
                + followUp);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void codexsOwnToolTypesOnATranslatedPathAreRefusedWithAMessageNamingThem(Upstream upstream) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        tap = new ConnectionTap(gateway.port());

        CodexResult result = new CodexExec(codex, root, tap.baseUrl(), upstream.model).run("Hello?");

        assertEquals(1, result.exitCode(), result.describe());
        assertTrue(result.stderr().contains("Tool type 'namespace'") && result.stderr().contains("cannot be served"),
                result.describe());
        assertEquals(before, fake.requestCount(), "refused before any credential was used");
    }

    // ---- what the upstream received, per dialect --------------------------------------------------------------

    /** The tool call the assistant made and the result sent back for it, as the follow-up request carries them. */
    private record ToolExchange(String name, JsonNode arguments, String output) {
    }

    private static ToolExchange toolExchange(Upstream upstream, JsonNode request) throws IOException {
        JsonNode messages = request.path("messages");
        if (upstream == Upstream.CHAT_COMPLETIONS) {
            JsonNode call = null;
            for (JsonNode message : messages) {
                if (message.has("tool_calls")) {
                    call = message.path("tool_calls").path(0);
                }
            }
            assertTrue(call != null, "an assistant message with the tool call: " + messages);
            for (JsonNode message : messages) {
                if ("tool".equals(message.path("role").asText())
                        && call.path("id").asText().equals(message.path("tool_call_id").asText())) {
                    return new ToolExchange(call.path("function").path("name").asText(),
                            JSON.readTree(call.path("function").path("arguments").asText()),
                            message.path("content").asText());
                }
            }
            throw new AssertionError("no tool message answers " + call.path("id") + ": " + messages);
        }
        JsonNode use = null;
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if ("tool_use".equals(block.path("type").asText())) {
                    use = block;
                }
            }
        }
        assertTrue(use != null, "an assistant tool_use block: " + messages);
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if ("tool_result".equals(block.path("type").asText())
                        && use.path("id").asText().equals(block.path("tool_use_id").asText())) {
                    return new ToolExchange(use.path("name").asText(), use.path("input"), text(block.path("content")));
                }
            }
        }
        throw new AssertionError("no tool_result answers " + use.path("id") + ": " + messages);
    }

    private static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.path(i).path("role").asText())) {
                return text(messages.path(i).path("content"));
            }
        }
        throw new AssertionError("no user message: " + request);
    }

    private static List<String> declaredTools(Upstream upstream, JsonNode request) {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : request.path("tools")) {
            names.add((upstream == Upstream.CHAT_COMPLETIONS ? tool.path("function") : tool).path("name").asText());
        }
        return names;
    }

    /** A message's or tool result's content: a string, or the text of its parts. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText()));
        return text.toString();
    }
}
