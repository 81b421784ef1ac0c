package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.e2e.CodexExec.Transport;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: Codex CLI itself ({@code codex exec}, npm {@code @openai/codex} at 0.169.0 ({@link NpmCliInstallation#CODEX}))
 * with a provider pointing at the booted gateway, over an upstream of each kind: Chat Completions and Anthropic
 * Messages (the translated path) and an account's own Responses API (native passthrough), over HTTP and over the
 * WebSocket transport. What the user sees is checked (exit code, the final message Codex prints), what Codex put on the wire and which transport it used (seen
 * by a {@link ConnectionTap} between Codex and the gateway), and what reached the upstream in its own dialect: the
 * prompt, Codex's shell tool, and, after the agent ran the command the upstream asked for, the command's real output
 * in the tool result of the next request; a native upstream receives exactly what Codex sent.
 */
class CodexCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CHAT_MODEL = "gpt-codex-chat";
    private static final String CLAUDE_MODEL = "claude-codex";
    private static final String NATIVE_MODEL = "gpt-codex-native";
    /** Codex's shell tool (unified exec): {@code {"cmd": "..."}} runs in a PTY and returns its output. */
    private static final String SHELL_TOOL = "exec_command";
    /** The output ({@link #COMMAND_OUTPUT}) appears in no request unless the shell evaluated the command. */
    private static final String COMMAND = "echo caravan-$((6*7))";
    private static final String COMMAND_OUTPUT = "caravan-42";
    private static final String RESPONSES_POST = "POST /v1/responses HTTP/1.1";
    private static final String RESPONSES_GET = "GET /v1/responses HTTP/1.1";

    private static FakeUpstream chatUpstream;
    private static FakeUpstream anthropicUpstream;
    private static FakeUpstream responsesUpstream;
    private static TestGateway gateway;

    @TempDir
    Path root;
    private Path codex;
    private ConnectionTap tap;

    /** The kinds of upstream a Codex turn can land on. */
    enum Upstream {
        CHAT_COMPLETIONS(CHAT_MODEL), ANTHROPIC_MESSAGES(CLAUDE_MODEL), NATIVE_RESPONSES(NATIVE_MODEL);

        final String model;

        Upstream(String model) {
            this.model = model;
        }

        FakeUpstream fake() {
            return switch (this) {
                case CHAT_COMPLETIONS -> chatUpstream;
                case ANTHROPIC_MESSAGES -> anthropicUpstream;
                case NATIVE_RESPONSES -> responsesUpstream;
            };
        }

        /** Whether the gateway translates the turn (and can then carry function tools only). */
        boolean translated() {
            return this != NATIVE_RESPONSES;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        chatUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        responsesUpstream = FakeUpstream.openAiResponses();
        gateway = TestGateway.builder()
                .credential("codex-chat", chatUpstream, "[" + CHAT_MODEL + "]")
                .credential("codex-anthropic", anthropicUpstream, "[" + CLAUDE_MODEL + "]")
                .rawCredential("  - name: codex-native\n"
                        + "    kind: openai\n"
                        + "    apis: [chat, responses]\n"
                        + "    base-url: " + responsesUpstream.baseUrl() + "\n"
                        + "    api-key: " + responsesUpstream.apiKey() + "\n"
                        + "    models: [" + NATIVE_MODEL + "]\n")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, chatUpstream, anthropicUpstream, responsesUpstream);
    }

    @BeforeEach
    void requireCodex() {
        codex = NpmCliInstallation.CODEX.require();
    }

    @AfterEach
    void closeTap() throws IOException {
        if (tap != null) {
            tap.close();
        }
    }

    static Stream<Arguments> upstreamsAndTransports() {
        return Stream.of(Upstream.values())
                .flatMap(upstream -> Stream.of(Transport.values()).map(transport -> Arguments.of(upstream, transport)));
    }

    /**
     * One Codex turn through a tap in front of {@code target}, with the configuration a user gives Codex for that
     * kind of credential: only function tools where the gateway translates, Codex's defaults where it passes through.
     */
    private CodexResult exec(TestGateway target, Upstream upstream, Transport transport, String prompt)
            throws Exception {
        tap = new ConnectionTap(target.port());
        CodexExec exec = new CodexExec(codex, root, tap.baseUrl(), upstream.model).over(transport);
        return (upstream.translated() ? exec.functionToolsOnly() : exec).run(prompt);
    }

    /**
     * Every request went the chosen way: over HTTP, each was a POST and none asked for an upgrade; over WebSocket,
     * each was an upgrade of {@code GET /v1/responses}, so no turn went as an HTTP POST (a socket carries no HTTP
     * request after its upgrade, and a fallback would have been one).
     */
    private void assertTransport(Transport transport) {
        List<String> lines = tap.requestLines();
        assertFalse(lines.isEmpty(), "Codex sent no request");
        if (transport == Transport.HTTP) {
            assertTrue(lines.stream().allMatch(RESPONSES_POST::equals), lines.toString());
        } else {
            assertTrue(lines.stream().allMatch(RESPONSES_GET::equals), lines.toString());
            assertTrue(tap.requests().stream().allMatch(ConnectionTap.Request::upgradesToWebSocket),
                    tap.requests().toString());
        }
    }

    /**
     * A native upstream received Codex's own tool types (its sub-agent tools as one {@code namespace} tool, its
     * hosted {@code web_search}), and over HTTP, where the tap reads the requests whole, exactly what Codex sent,
     * request by request (WebSocket frames are masked; the gateway's own WebSocket tests compare those).
     */
    private void assertPassedUnchanged(Upstream upstream, Transport transport, List<RecordedRequest> received)
            throws IOException {
        if (upstream.translated()) {
            return;
        }
        if (transport == Transport.HTTP) {
            List<ConnectionTap.Request> sent = tap.requests();
            assertEquals(sent.size(), received.size(), tap.requestLines().toString());
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(JSON.readTree(sent.get(i).body()), received.get(i).json(), "request " + i + " unchanged");
            }
        }
        List<String> toolTypes = received.get(0).json().path("tools").findValuesAsText("type");
        assertTrue(toolTypes.contains("namespace") && toolTypes.contains("web_search"), toolTypes.toString());
    }

    @ParameterizedTest
    @MethodSource("upstreamsAndTransports")
    void aTextTurnPrintsTheUpstreamsAnswer(Upstream upstream, Transport transport) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        fake.enqueue(Reply.text("The caravan has arrived."));

        CodexResult result = exec(gateway, upstream, transport, "Has the caravan arrived?");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The caravan has arrived.", result.stdout().strip(), result.describe());
        assertTransport(transport);
        List<RecordedRequest> received = fake.requests().subList(before, fake.requestCount());
        assertEquals(1, received.size(), received.toString());
        RecordedRequest request = received.get(0);
        assertTrue(request.streamRequested(), "Codex streams: " + request);
        assertTrue(lastUserText(upstream, request.json()).contains("Has the caravan arrived?"), request.toString());
        assertTrue(declaredTools(upstream, request.json()).contains(SHELL_TOOL), request.toString());
        assertPassedUnchanged(upstream, transport, received);
    }

    @ParameterizedTest
    @MethodSource("upstreamsAndTransports")
    void theAgentRunsTheShellCommandTheUpstreamAsksForAndSendsItsOutputBack(Upstream upstream, Transport transport)
            throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        fake.enqueue(Reply.toolCall(SHELL_TOOL, "{\"cmd\":\"" + COMMAND + "\"}"));
        fake.enqueue(Reply.text("The command printed " + COMMAND_OUTPUT + "."));

        CodexResult result = exec(gateway, upstream, transport, "Run the caravan check.");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The command printed " + COMMAND_OUTPUT + ".", result.stdout().strip(), result.describe());
        assertTransport(transport);
        List<RecordedRequest> received = fake.requests().subList(before, fake.requestCount());
        assertEquals(2, received.size(), received.toString());
        assertFalse(received.get(0).body().contains(COMMAND_OUTPUT), "no output before the command ran: "
                + received.get(0));
        JsonNode followUp = received.get(1).json();
        ToolExchange exchange = toolExchange(upstream, followUp);
        assertEquals(SHELL_TOOL, exchange.name(), followUp.toString());
        assertEquals(COMMAND, exchange.arguments().path("cmd").asText(), followUp.toString());
        assertTrue(exchange.output().contains(COMMAND_OUTPUT), "the command's output in the tool result: "
                + followUp);
        assertPassedUnchanged(upstream, transport, received);
    }

    @Test
    void withWebSocketsSwitchedOffTheRefusedUpgradeSendsCodexToHttpAtOnce() throws Exception {
        try (TestGateway httpOnly = TestGateway.builder()
                .credential("codex-chat", chatUpstream, "[" + CHAT_MODEL + "]")
                .set("caravan.responses.websocket.enabled", "false")
                .start()) {
            chatUpstream.enqueue(Reply.text("Over HTTP after all."));

            CodexResult result = exec(httpOnly, Upstream.CHAT_COMPLETIONS, Transport.WEBSOCKET, "Which way?");

            assertEquals(0, result.exitCode(), result.describe());
            assertEquals("Over HTTP after all.", result.stdout().strip(), result.describe());
            // one refused upgrade (426), then HTTP at once: a 404 or 405 would have cost several reconnects first
            assertEquals(List.of(RESPONSES_GET, RESPONSES_POST), tap.requestLines(), tap.requests().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Upstream.class, names = {"CHAT_COMPLETIONS", "ANTHROPIC_MESSAGES"})
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

    /** With the gateway set to omit what Chat Completions cannot carry, Codex works with its defaults there too. */
    @Test
    void withUnservableToolsOmittedCodexsDefaultsWorkOverATranslatedCredential() throws Exception {
        try (TestGateway omitting = TestGateway.builder()
                .credential("codex-chat", chatUpstream, "[" + CHAT_MODEL + "]")
                .set("caravan.translation.omit-unservable-tools", "true")
                .start()) {
            chatUpstream.enqueue(Reply.text("Defaults are fine."));
            tap = new ConnectionTap(omitting.port());

            CodexResult result = new CodexExec(codex, root, tap.baseUrl(), CHAT_MODEL).run("Hello?");

            assertEquals(0, result.exitCode(), result.describe());
            assertEquals("Defaults are fine.", result.stdout().strip(), result.describe());
            JsonNode tools = chatUpstream.lastRequest().json().path("tools");
            assertTrue(tools.size() > 0, tools.toString());
            for (JsonNode tool : tools) {
                assertEquals("function", tool.path("type").asText(), tools.toString());
            }
        }
    }

    // ---- what the upstream received, per dialect --------------------------------------------------------------

    /** The tool call the assistant made and the result sent back for it, as the follow-up request carries them. */
    private static ToolExchange toolExchange(Upstream upstream, JsonNode request) throws IOException {
        if (upstream == Upstream.NATIVE_RESPONSES) {
            return nativeToolExchange(request.path("input"));
        }
        JsonNode messages = request.path("messages");
        return upstream == Upstream.CHAT_COMPLETIONS ? ToolExchange.fromChat(messages)
                : ToolExchange.fromAnthropic(messages);
    }

    /** Codex's own items, as a native upstream receives them: a function_call and its function_call_output. */
    private static ToolExchange nativeToolExchange(JsonNode input) throws IOException {
        JsonNode call = null;
        for (JsonNode item : input) {
            if ("function_call".equals(item.path("type").asText())) {
                call = item;
            }
        }
        assertTrue(call != null, "a function_call item: " + input);
        for (JsonNode item : input) {
            if ("function_call_output".equals(item.path("type").asText())
                    && call.path("call_id").asText().equals(item.path("call_id").asText())) {
                return new ToolExchange(call.path("name").asText(), JSON.readTree(call.path("arguments").asText()),
                        ToolExchange.text(item.path("output")));
            }
        }
        throw new AssertionError("no function_call_output answers " + call.path("call_id") + ": " + input);
    }

    private static String lastUserText(Upstream upstream, JsonNode request) {
        JsonNode messages = request.path(upstream == Upstream.NATIVE_RESPONSES ? "input" : "messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.path(i).path("role").asText())) {
                return ToolExchange.text(messages.path(i).path("content"));
            }
        }
        throw new AssertionError("no user message: " + request);
    }

    private static List<String> declaredTools(Upstream upstream, JsonNode request) {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : request.path("tools")) {
            // Chat Completions nests a function's name; Anthropic and the Responses API name the tool itself
            names.add((upstream == Upstream.CHAT_COMPLETIONS ? tool.path("function") : tool).path("name").asText());
        }
        return names;
    }
}
