package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14: Gemini CLI itself (npm {@code @google/gemini-cli} at 0.61.0 ({@link NpmCliInstallation#GEMINI})) in headless
 * mode ({@code gemini -p}) with {@code GOOGLE_GEMINI_BASE_URL} pointing at the booted gateway and the gateway's
 * client key as its {@code GEMINI_API_KEY}, over an upstream of each kind: a Gemini credential (passed through) and,
 * translated, Chat Completions and Anthropic Messages. What the user sees is checked (exit code, the answer the CLI
 * prints), what the CLI put on the wire (seen by a {@link ConnectionTap} between it and the gateway), what reached
 * the upstream in its own dialect (the prompt, the CLI's tools, the credential's key and never the caller's; a
 * Gemini upstream receives exactly what the CLI sent), that the CLI tried no host beyond 127.0.0.1 (a
 * {@link GeminiCliOutboundTrap} as its proxy saw nothing), and a tool round trip: the upstream asks for the CLI's
 * read-only {@code read_file} on a file in the workspace, the CLI reads it, and the file's content reaches the
 * upstream as the tool result of the next request.
 */
class GeminiCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GEMINI_MODEL = "gemini-2.5-flash";
    private static final String CHAT_MODEL = "gpt-gemini-cli";
    private static final String CLAUDE_MODEL = "claude-gemini-cli";
    /** The CLI's read-only file tool: {@code {"file_path": "..."}}; headless mode runs it without asking. */
    private static final String READ_TOOL = "read_file";
    private static final String MANIFEST = "manifest.txt";
    /** Appears in no request unless the CLI read the file. */
    private static final String MANIFEST_CONTENT = "caravan manifest: 42 camels, 7 tents";

    private static FakeUpstream geminiUpstream;
    private static FakeUpstream chatUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;

    @TempDir
    Path root;
    private Path gemini;
    private ConnectionTap tap;
    private GeminiCliOutboundTrap trap;

    /** The kinds of upstream a Gemini CLI turn can land on. */
    enum Upstream {
        GEMINI(GEMINI_MODEL), CHAT_COMPLETIONS(CHAT_MODEL), ANTHROPIC_MESSAGES(CLAUDE_MODEL);

        final String model;

        Upstream(String model) {
            this.model = model;
        }

        FakeUpstream fake() {
            return switch (this) {
                case GEMINI -> geminiUpstream;
                case CHAT_COMPLETIONS -> chatUpstream;
                case ANTHROPIC_MESSAGES -> anthropicUpstream;
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        geminiUpstream = FakeUpstream.gemini();
        chatUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .rawCredential("  - name: gemini-cli-gemini\n"
                        + "    kind: gemini\n"
                        + "    base-url: " + geminiUpstream.baseUrl() + "\n"
                        + "    api-key: " + geminiUpstream.apiKey() + "\n"
                        + "    models: [" + GEMINI_MODEL + "]\n")
                .credential("gemini-cli-chat", chatUpstream, "[" + CHAT_MODEL + "]")
                .credential("gemini-cli-anthropic", anthropicUpstream, "[" + CLAUDE_MODEL + "]")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, geminiUpstream, chatUpstream, anthropicUpstream);
    }

    @BeforeEach
    void requireGeminiCli() throws IOException {
        gemini = NpmCliInstallation.GEMINI.require();
        tap = new ConnectionTap(gateway.port());
        trap = new GeminiCliOutboundTrap();
    }

    @AfterEach
    void closeTapAndTrap() throws IOException {
        if (tap != null) {
            tap.close();
        }
        if (trap != null) {
            trap.close();
        }
    }

    private GeminiCliRun cli(Upstream upstream) {
        return new GeminiCliRun(gemini, root, tap.baseUrl(), upstream.model, trap.proxyUrl());
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aHeadlessTurnPrintsTheUpstreamsAnswer(Upstream upstream) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        fake.enqueue(Reply.text("The caravan has arrived."));

        GeminiCliResult result = cli(upstream).run("Has the caravan arrived?");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The caravan has arrived.", result.response(), result.describe());
        assertEquals(1, result.requestsTo(upstream.model), result.describe());
        // an answer the CLI found incomplete (no finish reason, say) would be counted here though it printed it
        assertEquals(0, result.failedRequestsTo(upstream.model), result.describe());
        // the answer's usageMetadata reached the CLI, whichever dialect the upstream counted in
        assertTrue(result.tokens(upstream.model, "prompt") > 0, result.describe());
        assertTrue(result.tokens(upstream.model, "candidates") > 0, result.describe());
        assertSentAsTheGeminiApi(upstream.model);
        List<RecordedRequest> received = fake.requests().subList(before, fake.requestCount());
        assertEquals(1, received.size(), received.toString());
        RecordedRequest request = received.get(0);
        assertTrue(lastUserText(upstream, request.json()).contains("Has the caravan arrived?"), request.toString());
        assertTrue(declaredTools(upstream, request.json()).contains(READ_TOOL), request.toString());
        assertCredentialKeyOnly(upstream, request);
        assertPassedUnchanged(upstream, received);
        assertNothingLeftLoopback();
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void theCliReadsTheFileTheUpstreamAsksForAndSendsItsContentBack(Upstream upstream) throws Exception {
        FakeUpstream fake = upstream.fake();
        int before = fake.requestCount();
        GeminiCliRun cli = cli(upstream);
        Path manifest = Files.writeString(cli.workspace().resolve(MANIFEST), MANIFEST_CONTENT + "\n");
        fake.enqueue(Reply.toolCall(READ_TOOL, JSON.writeValueAsString(Map.of("file_path", manifest.toString()))));
        fake.enqueue(Reply.text("The manifest lists 42 camels."));

        GeminiCliResult result = cli.run("What does the manifest say?");

        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("The manifest lists 42 camels.", result.response(), result.describe());
        assertEquals(1, result.successfulToolCalls(READ_TOOL), result.describe());
        assertEquals(2, result.requestsTo(upstream.model), result.describe());
        assertEquals(0, result.failedRequestsTo(upstream.model), result.describe());
        assertSentAsTheGeminiApi(upstream.model);
        List<RecordedRequest> received = fake.requests().subList(before, fake.requestCount());
        assertEquals(2, received.size(), received.toString());
        assertFalse(received.get(0).body().contains(MANIFEST_CONTENT), "no content before the CLI read the file: "
                + received.get(0));
        JsonNode followUp = received.get(1).json();
        ToolExchange exchange = toolExchange(upstream, followUp);
        assertEquals(READ_TOOL, exchange.name(), followUp.toString());
        assertEquals(manifest.toString(), exchange.arguments().path("file_path").asText(), followUp.toString());
        assertTrue(exchange.output().contains(MANIFEST_CONTENT), "the file's content in the tool result: "
                + followUp);
        received.forEach(request -> assertCredentialKeyOnly(upstream, request));
        assertPassedUnchanged(upstream, received);
        assertNothingLeftLoopback();
    }

    // ---- what the CLI sent, what reached the upstream ----------------------------------------------------------

    /**
     * Every request the CLI made went to the Gemini API's streaming endpoint for the model, with the gateway's
     * client key as its {@code x-goog-api-key}: the CLI's headless turn makes no other call (no model list, no
     * token count).
     */
    private void assertSentAsTheGeminiApi(String model) {
        List<ConnectionTap.Request> sent = tap.requests();
        assertFalse(sent.isEmpty(), "the CLI sent no request");
        for (ConnectionTap.Request request : sent) {
            assertEquals("POST /v1beta/models/" + model + ":streamGenerateContent?alt=sse HTTP/1.1", request.line(),
                    tap.requestLines().toString());
            assertTrue(request.head().contains("\r\nx-goog-api-key: " + TestGateway.CLIENT_KEY + "\r\n"),
                    request.head());
        }
    }

    /** The upstream got the credential's own key, and the caller's key appears nowhere in what it received. */
    private static void assertCredentialKeyOnly(Upstream upstream, RecordedRequest request) {
        String key = switch (upstream) {
            case GEMINI -> request.header("x-goog-api-key");
            case CHAT_COMPLETIONS -> request.header("authorization");
            case ANTHROPIC_MESSAGES -> request.header("x-api-key");
        };
        assertNotNull(key, request.headers().keySet().toString());
        // OpenAI's header carries it as "Bearer <key>"
        assertTrue(key.endsWith(upstream.fake().apiKey()), "the credential's key: " + request.headers().keySet());
        assertFalse(request.headers().toString().contains(TestGateway.CLIENT_KEY), "no caller key upstream");
        assertFalse(request.body().contains(TestGateway.CLIENT_KEY), "no caller key upstream");
        assertFalse(request.query() != null && request.query().contains(TestGateway.CLIENT_KEY),
                "no caller key upstream");
    }

    /**
     * A Gemini upstream received exactly what the CLI sent, request by request: the gateway passes a Gemini body to
     * a Gemini credential unchanged, at the same path, still asking for server-sent events.
     */
    private void assertPassedUnchanged(Upstream upstream, List<RecordedRequest> received) throws IOException {
        if (upstream != Upstream.GEMINI) {
            return;
        }
        List<ConnectionTap.Request> sent = tap.requests();
        assertEquals(sent.size(), received.size(), tap.requestLines().toString());
        for (int i = 0; i < sent.size(); i++) {
            RecordedRequest request = received.get(i);
            assertEquals("/v1beta/models/" + upstream.model + ":streamGenerateContent", request.path());
            assertEquals("alt=sse", request.query());
            assertEquals(JSON.readTree(sent.get(i).body()), request.json(), "request " + i + " unchanged");
        }
    }

    private void assertNothingLeftLoopback() {
        assertEquals(List.of(), trap.requestLines(), "requests the CLI tried beyond 127.0.0.1");
    }

    // ---- what the upstream received, per dialect --------------------------------------------------------------

    /** The tool call the model made and the result sent back for it, as the follow-up request carries them. */
    private static ToolExchange toolExchange(Upstream upstream, JsonNode request) throws IOException {
        return switch (upstream) {
            case GEMINI -> geminiToolExchange(request.path("contents"));
            case CHAT_COMPLETIONS -> ToolExchange.fromChat(request.path("messages"));
            case ANTHROPIC_MESSAGES -> ToolExchange.fromAnthropic(request.path("messages"));
        };
    }

    /**
     * A model turn's {@code functionCall} part and the {@code functionResponse} part of the next user turn that
     * answers it: by id when the call has one (the CLI gives each call an id and echoes it), else by name. The CLI
     * puts a tool's text into {@code response.output}.
     */
    private static ToolExchange geminiToolExchange(JsonNode contents) {
        JsonNode call = null;
        for (JsonNode content : contents) {
            for (JsonNode part : content.path("parts")) {
                if (part.has("functionCall")) {
                    call = part.path("functionCall");
                }
            }
        }
        assertTrue(call != null, "a model turn with a functionCall part: " + contents);
        for (JsonNode content : contents) {
            for (JsonNode part : content.path("parts")) {
                JsonNode response = part.path("functionResponse");
                boolean answers = call.has("id") ? call.path("id").equals(response.path("id"))
                        : call.path("name").equals(response.path("name"));
                if (response.isObject() && answers) {
                    return new ToolExchange(call.path("name").asText(), call.path("args"),
                            response.path("response").path("output").asText());
                }
            }
        }
        throw new AssertionError("no functionResponse answers " + call + ": " + contents);
    }

    /** The text of the last user turn: the CLI sends its session context and the prompt as parts of one turn. */
    private static String lastUserText(Upstream upstream, JsonNode request) {
        boolean gemini = upstream == Upstream.GEMINI;
        JsonNode turns = request.path(gemini ? "contents" : "messages");
        for (int i = turns.size() - 1; i >= 0; i--) {
            if ("user".equals(turns.path(i).path("role").asText())) {
                return ToolExchange.text(turns.path(i).path(gemini ? "parts" : "content"));
            }
        }
        throw new AssertionError("no user turn: " + request);
    }

    private static List<String> declaredTools(Upstream upstream, JsonNode request) {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : request.path("tools")) {
            switch (upstream) {
                case GEMINI -> tool.path("functionDeclarations")
                        .forEach(declaration -> names.add(declaration.path("name").asText()));
                // Chat Completions nests a function's name; Anthropic names the tool itself
                case CHAT_COMPLETIONS -> names.add(tool.path("function").path("name").asText());
                case ANTHROPIC_MESSAGES -> names.add(tool.path("name").asText());
            }
        }
        return names;
    }
}
