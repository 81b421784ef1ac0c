package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each example in {@code routes/examples/} as a user runs it: the gateway booted with only that file as its routes
 * ({@code camel.main.routes-include-pattern}), real HTTP callers of each dialect, and fake upstreams that record what
 * they received, which is what the example promises to change.
 */
class YamlExampleRoutesTest {

    private static final String GEMINI_MODEL = "gemini-2.5-flash";
    private static final String BATCH_KEY = "batch-jobs-key-0123456789abcdef";
    private static final String TEAM_KEY = "interactive-key-0123456789abcdef";
    private static final String CLIENTS = """
              - name: batch-jobs
                key: %s
              - name: interactive
                key: %s
            """.formatted(BATCH_KEY, TEAM_KEY);

    private final List<FakeUpstream> upstreams = new ArrayList<>();
    private TestGateway gateway;
    private RawClient client;
    private Path directory;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway);
        TestGateway.closeAll(upstreams.toArray());
        if (directory != null) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private FakeUpstream upstream(FakeUpstream upstream) {
        upstreams.add(upstream);
        return upstream;
    }

    /** A builder whose only routes are the example's file. */
    private static TestGateway.Builder withExample(String file) {
        Path example = Path.of("routes/examples", file);
        assertTrue(Files.isRegularFile(example), "the example exists: " + example.toAbsolutePath());
        return TestGateway.builder().set("camel.main.routes-include-pattern", "file:" + example);
    }

    private static String gemini(String name, FakeUpstream upstream, String models) {
        return "  - name: " + name + "\n    kind: gemini\n    base-url: " + upstream.baseUrl() + "\n    api-key: "
                + upstream.apiKey() + "\n    models: " + models + "\n";
    }

    private HttpRequest.Builder as(String key, String path, String body) {
        return client.request(path, body).setHeader("authorization", "Bearer " + key);
    }

    private HttpResponse<String> geminiCall(String action, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/" + GEMINI_MODEL + ":" + action))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("x-goog-api-key", TestGateway.CLIENT_KEY).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String geminiBody(String text) {
        return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}]}";
    }

    @Test
    void routeByClientSendsABatchClientsRequestsAndEuCallersToTheirOwnModelGroups() throws Exception {
        FakeUpstream main = upstream(FakeUpstream.openAi());
        FakeUpstream batch = upstream(FakeUpstream.openAi());
        FakeUpstream eu = upstream(FakeUpstream.anthropic());
        gateway = withExample("route-by-client.camel.yaml").clients(CLIENTS)
                .credential("main", main, "[gpt-4o-mini]")
                .credential("batch", batch, "[{name: batch, upstream: gpt-4o-mini}]")
                .credential("eu", eu, "[{name: \"eu/gpt-4o-mini\", upstream: claude-eu-haiku}]")
                .start();
        client = new RawClient(gateway);

        HttpResponse<String> interactive = client.send(as(TEAM_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o-mini", "hi", false)));
        assertEquals(200, interactive.statusCode(), interactive.body());
        assertEquals(1, main.requestCount());
        assertEquals(0, batch.requestCount());

        // The batch client, whatever it asks for and in whichever dialect: the batch credentials, streams too.
        HttpResponse<String> batched = client.send(as(BATCH_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o-mini", "hi", false)));
        HttpResponse<String> batchedMessages = client.send(as(BATCH_KEY, RawClient.MESSAGES, RawClient.messages("claude-x", "hi", true)));
        assertEquals(200, batched.statusCode(), batched.body());
        assertEquals(200, batchedMessages.statusCode(), batchedMessages.body());
        assertTrue(batchedMessages.body().contains("message_stop"), batchedMessages.body());
        assertEquals(1, main.requestCount(), "nothing more went to the main group");
        assertEquals(2, batch.requestCount());
        for (RecordedRequest seen : batch.requests()) {
            assertEquals("gpt-4o-mini", seen.model(), "the batch alias's upstream model");
        }
        assertTrue(batch.lastRequest().streamRequested());

        // A caller header picks the EU group, served here by an Anthropic credential: translated on the way.
        HttpResponse<String> european = client.send(as(TEAM_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o-mini", "hi", false))
                .header("x-region", "eu"));
        assertEquals(200, european.statusCode(), european.body());
        assertEquals(1, eu.requestCount());
        assertEquals("claude-eu-haiku", eu.lastRequest().model());
        assertEquals("/v1/messages", eu.lastRequest().path());

        // The headers the route trusts are the gateway's: a caller sending them itself is not rerouted.
        HttpResponse<String> forged = client.send(as(TEAM_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o-mini", "hi", false))
                .header("CaravanClient", "batch-jobs").header("CaravanModel", "batch"));
        assertEquals(200, forged.statusCode(), forged.body());
        assertEquals(2, main.requestCount(), "a forged CaravanClient or CaravanModel changes nothing");
        assertEquals(2, batch.requestCount());
    }

    @Test
    void redactEmailsLeavesNoAddressInWhatAnyUpstreamReceives() throws Exception {
        FakeUpstream openAi = upstream(FakeUpstream.openAi());
        FakeUpstream anthropic = upstream(FakeUpstream.anthropic());
        FakeUpstream google = upstream(FakeUpstream.gemini());
        gateway = withExample("redact-emails.camel.yaml")
                .credential("oa", openAi, "[o]").credential("an", anthropic, "[a]")
                .rawCredential(gemini("gem", google, "[" + GEMINI_MODEL + "]"))
                .start();
        client = new RawClient(gateway);
        // An address after a JSON escape (a new line), one in quotes, one with a plus and subdomains.
        String prompt = "Write to john.doe@example.com or\\nmary+news@mail.example.org (\\\"bob@example.net\\\"), not to me.";

        List<HttpResponse<String>> answers = List.of(
                client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", prompt, false)),
                client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", prompt, true)),
                client.post(RawClient.MESSAGES, RawClient.messages("a", prompt, false)),
                client.post(RawClient.OPENAI_CHAT, RawClient.chat("a", prompt, true)),
                client.post(RawClient.MESSAGES, RawClient.messages(GEMINI_MODEL, prompt, false)),
                geminiCall("generateContent", geminiBody(prompt)),
                geminiCall("streamGenerateContent?alt=sse", geminiBody(prompt)));
        for (HttpResponse<String> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.body());
        }
        assertEquals(2, openAi.requestCount());
        assertEquals(2, anthropic.requestCount());
        assertEquals(3, google.requestCount());
        for (FakeUpstream upstream : upstreams) {
            for (RecordedRequest seen : upstream.requests()) {
                String body = seen.body();
                assertFalse(body.contains("@"), "no address left the gateway: " + body);
                assertFalse(body.contains("john.doe") || body.contains("mary+news") || body.contains("example."), body);
                String text = seen.json().toString();
                assertTrue(text.contains("Write to [email] or\\n[email] (\\\"[email]\\\"), not to me."), text);
            }
        }
    }

    @Test
    void logRequestsWritesOneLinePerRequestWithItsIdClientModelAndStatus() throws Exception {
        directory = Files.createTempDirectory("caravan-request-log");
        FakeUpstream openAi = upstream(FakeUpstream.openAi());
        FakeUpstream anthropic = upstream(FakeUpstream.anthropic());
        gateway = withExample("log-requests.camel.yaml").clients(CLIENTS)
                .set("requests.log.directory", directory.toString())
                .credential("oa", openAi, "[o]").credential("an", anthropic, "[a]")
                .start();
        client = new RawClient(gateway);

        HttpResponse<String> chat = client.send(as(TEAM_KEY, RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)));
        HttpResponse<String> stream = client.send(as(BATCH_KEY, RawClient.MESSAGES, RawClient.messages("a", "hi", true)));
        HttpResponse<String> unknownModel = client.send(as(TEAM_KEY, RawClient.OPENAI_CHAT, RawClient.chat("nobody-serves-this", "hi", false)));
        HttpResponse<String> badKey = client.send(as("not-a-key-of-anyone-0123456789", RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)));
        assertEquals(200, chat.statusCode(), chat.body());
        assertEquals(200, stream.statusCode(), stream.body());
        assertEquals(404, unknownModel.statusCode(), unknownModel.body());
        assertEquals(401, badKey.statusCode(), badKey.body());

        List<String> lines = awaitLines(directory.resolve("requests.log"), 4);
        assertEquals(4, lines.size(), lines.toString());
        String chatLine = assertLine(lines, chat, "client=interactive", "model=o", "credential=oa", "status=200", "attempts=1");
        assertLine(lines, stream, "client=batch-jobs", "model=a", "credential=an", "status=200");
        assertLine(lines, unknownModel, "client=interactive", "model=nobody-serves-this", "status=404");
        assertLine(lines, badKey, "status=401");
        for (String line : lines) {
            assertFalse(line.contains(TEAM_KEY) || line.contains(BATCH_KEY) || line.contains("not-a-key"), line);
        }
        assertFalse(chatLine.contains("input_tokens=0 "), "the usage is logged: " + chatLine);
    }

    /** The one line of {@code answer}'s request, which has every one of {@code parts}. */
    private static String assertLine(List<String> lines, HttpResponse<String> answer, String... parts) {
        String id = answer.headers().firstValue("x-request-id").orElseThrow();
        List<String> mine = lines.stream().filter(line -> line.startsWith(id + " ")).toList();
        assertEquals(1, mine.size(), "one line for " + id + ": " + lines);
        for (String part : parts) {
            assertTrue((" " + mine.get(0) + " ").contains(" " + part + " "), part + " in " + mine.get(0));
        }
        return mine.get(0);
    }

    /** The file's lines once it has {@code count} of them, or what it has after a generous while. */
    private static List<String> awaitLines(Path file, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> lines = List.of();
        while (Instant.now().isBefore(deadline)) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= count) {
                break;
            }
            Thread.sleep(20);
        }
        return lines;
    }

    @Test
    void upstreamHeaderSendsThePropertysValueToEveryKindOfUpstream() throws Exception {
        FakeUpstream openAi = upstream(FakeUpstream.openAi());
        FakeUpstream anthropic = upstream(FakeUpstream.anthropic());
        FakeUpstream google = upstream(FakeUpstream.gemini());
        gateway = withExample("upstream-header.camel.yaml").set("tenant.id", "acme-eu-7")
                .credential("oa", openAi, "[o]").credential("an", anthropic, "[a]")
                .rawCredential(gemini("gem", google, "[" + GEMINI_MODEL + "]"))
                .start();
        client = new RawClient(gateway);

        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false)).statusCode());
        assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("a", "hi", true)).statusCode());
        assertEquals(200, client.post(RawClient.MESSAGES, RawClient.messages("a", "hi", false)).statusCode());
        assertEquals(200, geminiCall("generateContent", geminiBody("hi")).statusCode());
        for (FakeUpstream upstream : upstreams) {
            assertTrue(upstream.requestCount() > 0, upstream.name());
            for (RecordedRequest seen : upstream.requests()) {
                assertEquals(List.of("acme-eu-7"), seen.headers("x-tenant"), seen.headers().toString());
                // Only the example's file was loaded: the default routes/hooks.camel.yaml adds this one.
                assertNull(seen.header("X-Caravan-Gateway"), seen.headers().toString());
            }
        }
    }
}
