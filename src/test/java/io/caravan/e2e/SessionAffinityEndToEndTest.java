package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session affinity through the booted gateway, with several credentials for one model, each on a fake upstream of its
 * own: which credential served a request is told by which fake received it (every request carries a marker of its
 * own in its prompt). Each test boots its own gateway, so that no cooldown or session of another test is in play.
 */
class SessionAffinityEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "m";
    private static final String CLAUDE = "claude-m";
    private static final String RESPONSES_MODEL = "resp-m";
    private static final String RESPONSES = "/v1/responses";
    private static final String OTHER_CLIENT_KEY = "caravan-test-other-client-key-0123456789";
    private static final String ADMIN_KEY = "caravan-test-admin-key-affinity-0123456789";

    /** Every fake of the running gateway, with its credential's name. */
    private final Map<FakeUpstream, String> credentials = new LinkedHashMap<>();
    private TestGateway gateway;
    private RawClient raw;

    @AfterEach
    void stop() throws Exception {
        List<Object> all = new ArrayList<>();
        all.add(gateway);
        all.addAll(credentials.keySet());
        TestGateway.closeAll(all.toArray());
    }

    /** A gateway with {@code count} OpenAI Chat credentials for {@link #MODEL}, and the settings given. */
    private List<FakeUpstream> start(int count, String... settings) throws Exception {
        TestGateway.Builder builder = TestGateway.builder()
                .set("caravan.client-keys", TestGateway.CLIENT_KEY + "," + OTHER_CLIENT_KEY)
                .set("caravan.admin-keys", ADMIN_KEY);
        List<FakeUpstream> chat = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FakeUpstream fake = FakeUpstream.openAi();
            String name = "chat-" + i;
            credentials.put(fake, name);
            builder.credential(name, fake, "[" + MODEL + "]");
            chat.add(fake);
        }
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        gateway = builder.start();
        raw = new RawClient(gateway);
        return chat;
    }

    /** Adds two native Responses credentials for {@link #RESPONSES_MODEL} and two Anthropic ones for {@link #CLAUDE}. */
    private void startWithEveryKind() throws Exception {
        TestGateway.Builder builder = TestGateway.builder();
        for (int i = 0; i < 2; i++) {
            FakeUpstream chat = FakeUpstream.openAi();
            credentials.put(chat, "chat-" + i);
            builder.credential("chat-" + i, chat, "[" + MODEL + "]");
            FakeUpstream anthropic = FakeUpstream.anthropic();
            credentials.put(anthropic, "anthropic-" + i);
            builder.credential("anthropic-" + i, anthropic, "[" + CLAUDE + "]");
            FakeUpstream responses = FakeUpstream.openAiResponses();
            credentials.put(responses, "responses-" + i);
            builder.rawCredential(nativeResponsesCredential("responses-" + i, responses));
        }
        gateway = builder.start();
        raw = new RawClient(gateway);
    }

    private static String nativeResponsesCredential(String name, FakeUpstream fake) {
        return "  - name: " + name + "\n"
                + "    kind: openai\n"
                + "    apis: [chat, responses]\n"
                + "    base-url: " + fake.baseUrl() + "\n"
                + "    api-key: " + fake.apiKey() + "\n"
                + "    models: [" + RESPONSES_MODEL + "]\n";
    }

    private static String chatBody(String marker, String extraFields) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]"
                + extraFields + "}";
    }

    /** A Chat request with this marker as its prompt, from the client key, with the headers (name, value...). */
    private HttpResponse<String> chat(String clientKey, String marker, String extraFields, String... headers)
            throws Exception {
        return send(RawClient.OPENAI_CHAT, chatBody(marker, extraFields), clientKey, headers);
    }

    private HttpResponse<String> send(String path, String body, String clientKey, String... headers) throws Exception {
        HttpRequest.Builder request = raw.request(path, body).setHeader("authorization", "Bearer " + clientKey);
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = raw.send(request);
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private HttpResponse<String> inSession(String session, String marker) throws Exception {
        return chat(TestGateway.CLIENT_KEY, marker, "", "x-session-id", session);
    }

    /** The fakes that received the request carrying {@code marker}. */
    private Set<FakeUpstream> receivers(String marker) {
        Set<FakeUpstream> found = new HashSet<>();
        for (FakeUpstream fake : credentials.keySet()) {
            if (fake.requests().stream().anyMatch(r -> r.body().contains(marker))) {
                found.add(fake);
            }
        }
        return found;
    }

    /** The one fake that received the request carrying {@code marker}. */
    private FakeUpstream receiver(String marker) {
        Set<FakeUpstream> found = receivers(marker);
        assertEquals(1, found.size(), "exactly one credential received " + marker + ": " + found);
        return found.iterator().next();
    }

    @Test
    void aSessionKeepsItsCredentialFor50TurnsWhileOtherSessionsSpreadOverTheOthers() throws Exception {
        List<FakeUpstream> fakes = start(3);
        Map<FakeUpstream, Integer> firstTurns = new HashMap<>();
        Set<FakeUpstream> agent = new HashSet<>();
        for (int turn = 0; turn < 50; turn++) {
            inSession("agent-session", "agent turn " + turn + ".");
            agent.add(receiver("agent turn " + turn + "."));
            inSession("other-session-" + turn, "other " + turn + " first.");
            firstTurns.merge(receiver("other " + turn + " first."), 1, Integer::sum);
            // One or two requests of no session: without affinity the turns would drift over every credential.
            for (int plain = 0; plain <= turn % 2; plain++) {
                chat(TestGateway.CLIENT_KEY, "no session " + turn + "-" + plain + ".", "");
            }
        }
        assertEquals(1, agent.size(), "all 50 turns of the session went to one credential");
        for (FakeUpstream fake : fakes) {
            assertTrue(firstTurns.getOrDefault(fake, 0) >= 10,
                    "the other sessions spread over every credential: " + firstTurns.values());
        }
        for (int turn = 0; turn < 50; turn++) {
            inSession("other-session-" + turn, "other " + turn + " second.");
            assertSame(receiver("other " + turn + " first."), receiver("other " + turn + " second."),
                    "each other session kept its own credential too");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 429})
    void whenItsCredentialFailsTheSessionMovesOnceAndSticksToTheNewOne(int status) throws Exception {
        start(3);
        inSession("moving", "turn 0.");
        FakeUpstream first = receiver("turn 0.");
        first.enqueue(status == 429 ? Reply.rateLimited(30) : Reply.openAiError(status, "server_error", "down"));

        inSession("moving", "turn 1.");

        Set<FakeUpstream> tried = receivers("turn 1.");
        assertEquals(2, tried.size(), "the failed request rotated once: " + tried);
        assertTrue(tried.remove(first), "it was tried on the session's credential first");
        FakeUpstream second = tried.iterator().next();
        // The first credential may serve again: only the session's memory keeps it on the second now.
        gateway.pool().reset(credentials.get(first));
        int firstRequests = first.requestCount();
        for (int turn = 2; turn < 12; turn++) {
            inSession("moving", "turn " + turn + ".");
            assertSame(second, receiver("turn " + turn + "."), "turn " + turn + " stayed where the session moved");
        }
        assertEquals(firstRequests, first.requestCount(), "never back to the credential it left");
    }

    /**
     * The same session id from two client keys is two sessions: the second client's first turn is placed by the
     * rotation like any new session (with two credentials and nothing in between: the other one), not sent where the
     * first client's session is.
     */
    @Test
    void theSameSessionIdFromTwoClientKeysIsTwoSessions() throws Exception {
        start(2);
        chat(TestGateway.CLIENT_KEY, "client one turn 0.", "", "x-session-id", "shared-id");
        FakeUpstream clientOnes = receiver("client one turn 0.");
        chat(OTHER_CLIENT_KEY, "client two turn 0.", "", "x-session-id", "shared-id");
        FakeUpstream clientTwos = receiver("client two turn 0.");
        assertNotSame(clientOnes, clientTwos, "the second client's session was placed on its own");
        for (int turn = 1; turn < 10; turn++) {
            chat(TestGateway.CLIENT_KEY, "client one turn " + turn + ".", "", "x-session-id", "shared-id");
            chat(OTHER_CLIENT_KEY, "client two turn " + turn + ".", "", "x-session-id", "shared-id");
            if (turn % 2 == 0) {
                chat(TestGateway.CLIENT_KEY, "no session " + turn + ".", "");
            }
            assertSame(clientOnes, receiver("client one turn " + turn + "."));
            assertSame(clientTwos, receiver("client two turn " + turn + "."));
        }
    }

    /** A request naming a session both in a header and in its body belongs to the header's session. */
    @Test
    void aHeaderBeatsABodyField() throws Exception {
        start(2);
        chat(TestGateway.CLIENT_KEY, "body only 0.", ",\"user\":\"body-session\"");
        FakeUpstream bodys = receiver("body only 0.");
        chat(TestGateway.CLIENT_KEY, "both 0.", ",\"user\":\"body-session\"", "x-session-id", "header-session");
        FakeUpstream headers = receiver("both 0.");
        assertNotSame(bodys, headers, "the header's session is a new one, placed by the rotation");
        for (int turn = 1; turn < 6; turn++) {
            chat(TestGateway.CLIENT_KEY, "both " + turn + ".", ",\"user\":\"body-session\"",
                    "x-session-id", "header-session");
            chat(TestGateway.CLIENT_KEY, "body only " + turn + ".", ",\"user\":\"body-session\"");
            assertSame(headers, receiver("both " + turn + "."));
            assertSame(bodys, receiver("body only " + turn + "."));
        }
    }

    /**
     * The sessions the agents name by default: Claude Code's header (and its {@code metadata.user_id}) on Messages,
     * Codex's headers (and {@code prompt_cache_key}) on Responses, {@code x-session-id} and OpenAI's {@code user} on
     * Chat. Each endpoint has two credentials: without affinity, consecutive turns alternate between them.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/messages, X-Claude-Code-Session-Id, ",
        "/v1/messages, , metadata.user_id",
        "/v1/responses, session_id, ",
        "/v1/responses, session-id, ",
        "/v1/responses, conversation_id, ",
        "/v1/responses, , prompt_cache_key",
        "/v1/chat/completions, x-session-id, ",
        "/v1/chat/completions, , user"})
    void theAgentsOwnSessionHeadersAndFieldsKeepTheirSessionOnOneCredential(String path, String header, String field)
            throws Exception {
        startWithEveryKind();
        Set<FakeUpstream> served = new HashSet<>();
        for (int turn = 0; turn < 6; turn++) {
            String marker = "turn " + turn + " of " + path + " " + header + field + ".";
            String body = agentBody(path, marker, field, "0f7c2e9a-agent-session");
            if (header == null) {
                send(path, body, TestGateway.CLIENT_KEY);
            } else {
                send(path, body, TestGateway.CLIENT_KEY, header, "0f7c2e9a-agent-session");
            }
            served.add(receiver(marker));
        }
        assertEquals(1, served.size(), "every turn on one credential: " + served);
    }

    private static String agentBody(String path, String marker, String field, String session) {
        String extra = field == null ? "" : switch (field) {
            case "metadata.user_id" -> ",\"metadata\":{\"user_id\":\"" + session + "\"}";
            default -> ",\"" + field + "\":\"" + session + "\"";
        };
        return switch (path) {
            case "/v1/messages" -> "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + marker + "\"}]" + extra + "}";
            case RESPONSES -> "{\"model\":\"" + RESPONSES_MODEL + "\",\"input\":\"" + marker + "\",\"store\":false"
                    + extra + "}";
            default -> chatBody(marker, extra);
        };
    }

    /**
     * A follow-up ({@code previous_response_id}) goes to the credential that made the answer it continues, even when
     * its session is kept on another one: no other account knows that answer (the fake answers 400 for an id it did
     * not make).
     */
    @Test
    void aFollowUpFollowsItsAnswerNotItsSession() throws Exception {
        startWithEveryKind();
        send(RESPONSES, "{\"model\":\"" + RESPONSES_MODEL + "\",\"input\":\"session turn.\"}", TestGateway.CLIENT_KEY,
                "session_id", "codex-session");
        FakeUpstream sessions = receiver("session turn.");
        HttpResponse<String> made = send(RESPONSES, "{\"model\":\"" + RESPONSES_MODEL
                + "\",\"input\":\"made elsewhere.\"}", TestGateway.CLIENT_KEY);
        FakeUpstream maker = receiver("made elsewhere.");
        assertNotSame(sessions, maker, "the rotation placed the answer on the other credential");
        String id = JSON.readTree(made.body()).path("id").asText();

        send(RESPONSES, "{\"model\":\"" + RESPONSES_MODEL + "\",\"input\":\"follow-up.\",\"previous_response_id\":\""
                + id + "\"}", TestGateway.CLIENT_KEY, "session_id", "codex-session");

        assertSame(maker, receiver("follow-up."), "the pin won over the session");
        assertEquals(id, maker.lastRequest().json().path("previous_response_id").asText());
    }

    @Test
    void theSessionsKeptAreAGauge() throws Exception {
        start(2);
        inSession("one", "one 0.");
        inSession("two", "two 0.");
        inSession("one", "one 1.");
        chat(OTHER_CLIENT_KEY, "another client's one.", "", "x-session-id", "one");
        chat(TestGateway.CLIENT_KEY, "no session.", "");

        HttpResponse<String> scrape = raw.get("/metrics", "authorization", "Bearer " + ADMIN_KEY);

        assertEquals(200, scrape.statusCode(), scrape.body());
        assertEquals(3, PrometheusText.parse(scrape.body()).one("caravan_affinity_sessions").value(),
                "two sessions of one client, one of the other");
    }

    @Test
    void turnedOffSessionsAreServedAsAnyRequest() throws Exception {
        start(2, "caravan.affinity.enabled", "false");
        Set<FakeUpstream> served = new HashSet<>();
        for (int turn = 0; turn < 4; turn++) {
            inSession("unkept", "unkept " + turn + ".");
            served.add(receiver("unkept " + turn + "."));
        }
        assertEquals(2, served.size(), "the rotation alternated");
        HttpResponse<String> scrape = raw.get("/metrics", "authorization", "Bearer " + ADMIN_KEY);
        assertEquals(0, PrometheusText.parse(scrape.body()).one("caravan_affinity_sessions").value());
    }
}
