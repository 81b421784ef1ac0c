package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.inputtokens.InputTokenCountParams;
import com.openai.models.responses.inputtokens.InputTokenCountResponse;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, serving Responses from the pool: credentials that list {@code responses} in {@code apis:} are sent the
 * caller's request unchanged (Codex's own item and tool types included) and are the only ones a follow-up to their
 * answers reaches; answers the gateway translated are kept by it, so that {@code previous_response_id} works whatever
 * served the first turn, and {@code GET}/{@code DELETE /v1/responses/{id}} read and forget them. The fake Responses
 * accounts answer an id they did not make with OpenAI's 400, so a follow-up sent to the wrong account fails.
 */
class ResponsesStoredAndNativeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NATIVE = "gpt-native";
    private static final String CHAT_ONLY = "gpt-chat";
    private static final String ROTATE = "gpt-rotate";
    private static final String PIN = "gpt-pin";
    private static final String RESPONSES = "/v1/responses";
    private static final String OTHER_CLIENT_KEY = "sk-caravan-other-team";

    private static FakeUpstream accountA;
    private static FakeUpstream accountB;
    private static FakeUpstream chat;
    private static FakeUpstream rotateFirst;
    private static FakeUpstream rotateSecond;
    private static FakeUpstream pinFirst;
    private static FakeUpstream pinSecond;
    private static TestGateway gateway;
    private static OpenAIClient client;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        accountA = FakeUpstream.openAiResponses();
        accountB = FakeUpstream.openAiResponses();
        chat = FakeUpstream.openAi();
        rotateFirst = FakeUpstream.openAiResponses();
        rotateSecond = FakeUpstream.openAiResponses();
        pinFirst = FakeUpstream.openAiResponses();
        pinSecond = FakeUpstream.openAiResponses();
        gateway = TestGateway.builder()
                .rawCredential(nativeCredential("account-a", accountA, NATIVE))
                .rawCredential(nativeCredential("account-b", accountB, NATIVE))
                .rawCredential(nativeCredential("rotate-first", rotateFirst, ROTATE))
                .rawCredential(nativeCredential("rotate-second", rotateSecond, ROTATE))
                .rawCredential(nativeCredential("pin-first", pinFirst, PIN))
                .rawCredential(nativeCredential("pin-second", pinSecond, PIN))
                .credential("chat-only", chat, "[" + CHAT_ONLY + "]")
                .set("caravan.client-keys", TestGateway.CLIENT_KEY + "," + OTHER_CLIENT_KEY)
                .start();
        client = gateway.openAiClient();
        raw = new RawClient(gateway);
    }

    private static String nativeCredential(String name, FakeUpstream account, String model) {
        return "  - name: " + name + "\n"
                + "    kind: openai\n"
                + "    apis: [chat, responses]\n"
                + "    base-url: " + account.baseUrl() + "\n"
                + "    api-key: " + account.apiKey() + "\n"
                + "    models: [" + model + "]\n";
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(client, gateway, accountA, accountB, chat, rotateFirst, rotateSecond, pinFirst,
                pinSecond);
    }

    private static int nativeRequests() {
        return accountA.requestCount() + accountB.requestCount();
    }

    /** The account that answered the latest native request. */
    private static FakeUpstream lastServed(int countsBefore, int aBefore) {
        assertEquals(countsBefore + 1, nativeRequests(), "exactly one native request");
        return accountA.requestCount() > aBefore ? accountA : accountB;
    }

    @Test
    void aNativeCredentialIsSentTheCallersRequestUnchanged() throws Exception {
        String body = "{\"model\":\"" + NATIVE + "\",\"input\":\"hi\",\"store\":false,"
                + "\"metadata\":{\"k\":\"v\"},\"service_tier\":\"auto\"}";
        int before = nativeRequests();
        int aBefore = accountA.requestCount();

        HttpResponse<String> r = raw.post(RESPONSES, body);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("response", JSON.readTree(r.body()).path("object").asText());
        FakeUpstream served = lastServed(before, aBefore);
        RecordedRequest upstream = served.lastRequest();
        assertEquals("/v1/responses", upstream.path());
        assertEquals(JSON.readTree(body), upstream.json(), "the body goes upstream as the caller sent it");
        assertEquals("Bearer " + served.apiKey(), upstream.header("authorization"));
    }

    /** Codex's own tool and item types have no Chat Completions form: a native credential gets them unchanged. */
    @Test
    void codexToolAndItemTypesReachANativeCredentialAndAreRefusedWhereOnlyTranslationCould() throws Exception {
        String codexish = "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"list files\"}]},{\"type\":\"local_shell_call\",\"call_id\":\"c1\",\"status\":\"completed\","
                + "\"action\":{\"type\":\"exec\",\"command\":[\"ls\"]}},{\"type\":\"local_shell_call_output\","
                + "\"call_id\":\"c1\",\"output\":\"a.txt\"}],\"tools\":[{\"type\":\"local_shell\"},{\"type\":\"custom\","
                + "\"name\":\"apply_patch\",\"format\":{\"type\":\"grammar\",\"syntax\":\"lark\",\"definition\":\"start: /.+/\"}}],"
                + "\"store\":false,\"stream\":true";
        int before = nativeRequests();
        int aBefore = accountA.requestCount();

        HttpResponse<String> served = raw.post(RESPONSES, "{\"model\":\"" + NATIVE + "\"," + codexish + "}");

        assertEquals(200, served.statusCode(), served.body());
        assertTrue(served.body().contains("event: response.completed"), served.body());
        JsonNode upstream = lastServed(before, aBefore).lastRequest().json();
        assertEquals("local_shell_call_output", upstream.path("input").path(2).path("type").asText());
        assertEquals("custom", upstream.path("tools").path(1).path("type").asText());

        int chatBefore = chat.requestCount();
        HttpResponse<String> refused = raw.post(RESPONSES, "{\"model\":\"" + CHAT_ONLY + "\"," + codexish + "}");

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("local_shell_call"), refused.body());
        assertEquals(chatBefore, chat.requestCount(), "nothing reached the upstream");
    }

    @Test
    void aStreamFromANativeCredentialIsRelayedEventByEvent() {
        ResponseCreateParams params = ResponseCreateParams.builder().model(NATIVE).input("stream it").build();
        int before = nativeRequests();
        int aBefore = accountA.requestCount();
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                types.add(event.isCompleted() ? "completed" : event.isCreated() ? "created" : "other");
            });
        }
        Response response = accumulator.response();
        assertEquals("created", types.get(0));
        assertEquals("completed", types.get(types.size() - 1));
        assertTrue(response.id().startsWith("resp_"), response.id());
        FakeUpstream served = lastServed(before, aBefore);
        assertTrue(served.lastRequest().streamRequested());
        assertEquals("Hello from " + served.name(),
                response.output().get(0).asMessage().content().get(0).asOutputText().text(),
                "the account's streamed answer, whole");
    }

    /**
     * A follow-up reaches only the account that made the answer it continues: the other account would answer 400.
     * Several turns, so that both accounts make a first answer.
     */
    @Test
    void aFollowUpToANativeAnswerGoesToTheAccountThatMadeIt() {
        for (int turn = 0; turn < 4; turn++) {
            int before = nativeRequests();
            int aBefore = accountA.requestCount();
            Response first = client.responses().create(
                    ResponseCreateParams.builder().model(NATIVE).input("first " + turn).build());
            FakeUpstream maker = lastServed(before, aBefore);
            // Other requests in between move the pool's rotation on, so that only the pin keeps the follow-up there.
            for (int other = 0; other <= turn; other++) {
                client.responses().create(ResponseCreateParams.builder().model(NATIVE).input("between")
                        .store(false).build());
                client.responses().create(ResponseCreateParams.builder().model(NATIVE).input("between")
                        .previousResponseId(first.id()).store(false).build());
            }

            int beforeFollowUp = nativeRequests();
            int aBeforeFollowUp = accountA.requestCount();
            Response second = client.responses().create(ResponseCreateParams.builder().model(NATIVE)
                    .input("second " + turn).previousResponseId(first.id()).build());

            assertNotEquals(first.id(), second.id());
            FakeUpstream follower = lastServed(beforeFollowUp, aBeforeFollowUp);
            assertEquals(maker.name(), follower.name(), "turn " + turn);
            assertEquals(first.id(), follower.lastRequest().json().path("previous_response_id").asText(),
                    "the native account continues its own answer");
        }
    }

    /** A follow-up pinned to an account that is rate limited gets that 429: no other account knows its answer. */
    @Test
    void aFollowUpPinnedToARateLimitedAccountGetsItsRateLimitNotAnotherAccount() {
        Response first = client.responses().create(ResponseCreateParams.builder().model(PIN).input("pin me").build());
        FakeUpstream maker = pinFirst.requestCount() == 1 ? pinFirst : pinSecond;
        FakeUpstream other = maker == pinFirst ? pinSecond : pinFirst;
        maker.enqueue(Reply.rateLimited(30));
        int otherBefore = other.requestCount();

        RateLimitException limited = assertThrows(RateLimitException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model(PIN).input("again").previousResponseId(first.id()).build()));

        assertEquals(429, limited.statusCode());
        assertEquals(otherBefore, other.requestCount(), "the other account was not tried");
        assertEquals(2, maker.requestCount());
    }

    @Test
    void aNativeAccountThatFailsBeforeAnsweringRotatesToTheOther() {
        rotateFirst.enqueue(Reply.rateLimited(30));
        int requests = 0;
        while (rotateFirst.pendingReplies() > 0 && requests < 3) {
            Response response = client.responses().create(
                    ResponseCreateParams.builder().model(ROTATE).input("rotate " + requests).store(false).build());
            assertTrue(response.id().startsWith("resp_"));
            requests++;
        }
        assertEquals(0, rotateFirst.pendingReplies(), "the 429 was given");
        assertEquals(1, rotateFirst.requestCount(), "the rate-limited account is cooling");
        assertEquals(requests, rotateSecond.requestCount(), "the other account served every request");
    }

    /** A translated answer is kept by the gateway: its follow-up carries the whole conversation to the upstream. */
    @Test
    void aFollowUpToATranslatedAnswerCarriesItsHistory() throws Exception {
        chat.enqueue(Reply.text("Paris is sunny."));
        Response first = client.responses().create(ResponseCreateParams.builder().model(CHAT_ONLY)
                .instructions("Be terse.").input("Weather in Paris?").build());
        chat.enqueue(Reply.text("Yes, take sunglasses."));

        Response second = client.responses().create(ResponseCreateParams.builder().model(CHAT_ONLY)
                .input("Sunglasses?").previousResponseId(first.id()).build());

        assertEquals("Yes, take sunglasses.", second.output().get(0).asMessage().content().get(0).asOutputText().text());
        JsonNode messages = chat.lastRequest().json().path("messages");
        List<String> said = new ArrayList<>();
        for (JsonNode m : messages) {
            said.add(m.path("role").asText() + ": " + text(m.path("content")));
        }
        assertEquals(List.of("user: Weather in Paris?", "assistant: Paris is sunny.", "user: Sunglasses?"), said,
                "instructions are not carried over, as the Responses API does not carry them");
    }

    @Test
    void aStreamedTranslatedAnswerIsKeptAndReadBack() throws Exception {
        chat.enqueue(Reply.text("kept words"));
        HttpResponse<String> streamed = raw.post(RESPONSES,
                "{\"model\":\"" + CHAT_ONLY + "\",\"stream\":true,\"input\":\"keep this\"}");
        assertEquals(200, streamed.statusCode());
        String id = null;
        for (String line : streamed.body().split("\n")) {
            if (line.startsWith("data: ") && line.contains("\"response.completed\"")) {
                id = JSON.readTree(line.substring(6)).path("response").path("id").asText();
            }
        }
        assertTrue(id != null && id.startsWith("resp_"), streamed.body());

        Response read = client.responses().retrieve(id);

        assertEquals(id, read.id());
        assertEquals("kept words", read.output().get(0).asMessage().content().get(0).asOutputText().text());

        chat.enqueue(Reply.text("second"));
        client.responses().create(ResponseCreateParams.builder().model(CHAT_ONLY).input("more")
                .previousResponseId(id).build());
        JsonNode messages = chat.lastRequest().json().path("messages");
        assertEquals("keep this", text(messages.path(0).path("content")));
        assertEquals("kept words", text(messages.path(1).path("content")));
    }

    @Test
    void aDeletedOrUnstoredAnswerIsNotFound() {
        chat.enqueue(Reply.text("forget me"));
        Response kept = client.responses().create(
                ResponseCreateParams.builder().model(CHAT_ONLY).input("delete test").build());
        chat.enqueue(Reply.text("never kept"));
        Response unkept = client.responses().create(
                ResponseCreateParams.builder().model(CHAT_ONLY).input("no store").store(false).build());

        client.responses().delete(kept.id());

        assertThrows(NotFoundException.class, () -> client.responses().retrieve(kept.id()));
        assertThrows(NotFoundException.class, () -> client.responses().retrieve(unkept.id()));
        int chatBefore = chat.requestCount();
        for (String gone : List.of(kept.id(), unkept.id())) {
            BadRequestException refused = assertThrows(BadRequestException.class, () -> client.responses().create(
                    ResponseCreateParams.builder().model(CHAT_ONLY).input("again").previousResponseId(gone).build()));
            assertTrue(refused.getMessage().contains("Previous response with id '" + gone + "' not found"),
                    refused.getMessage());
            assertEquals("previous_response_not_found", refused.code().orElse(null));
        }
        assertEquals(chatBefore, chat.requestCount(), "nothing reached the upstream");
    }

    /** What one client key made is not there for another: neither to read, nor to delete, nor to continue. */
    @Test
    void anotherClientCannotReadDeleteOrContinueAKeptAnswer() throws Exception {
        chat.enqueue(Reply.text("mine"));
        Response kept = client.responses().create(
                ResponseCreateParams.builder().model(CHAT_ONLY).input("private").build());
        OpenAIClient other = gateway.openAiClient(OTHER_CLIENT_KEY);
        try {
            assertThrows(NotFoundException.class, () -> other.responses().retrieve(kept.id()));
            assertThrows(NotFoundException.class, () -> other.responses().delete(kept.id()));
            BadRequestException refused = assertThrows(BadRequestException.class, () -> other.responses().create(
                    ResponseCreateParams.builder().model(CHAT_ONLY).input("theirs?").previousResponseId(kept.id())
                            .build()));
            assertEquals("previous_response_not_found", refused.code().orElse(null));
        } finally {
            other.close();
        }
        assertEquals(kept.id(), client.responses().retrieve(kept.id()).id(), "still there for its own client");
    }

    /** A native account counts its own tokens: the count is forwarded to it, not estimated. */
    @Test
    void anInputTokenCountForANativeModelIsForwardedToItsAccount() {
        int before = nativeRequests();
        int aBefore = accountA.requestCount();

        InputTokenCountResponse counted = client.responses().inputTokens().count(
                InputTokenCountParams.builder().model(NATIVE).input("count these words").build());

        counted.validate();
        RecordedRequest upstream = lastServed(before, aBefore).lastRequest();
        assertEquals("/v1/responses/input_tokens", upstream.path());
        assertEquals(FakeUpstream.estimateTokens(upstream.body()), counted.inputTokens(),
                "the account's own count, as it answered it");
    }

    @Test
    void theStoredResponseEndpointsNeedTheClientKey() throws Exception {
        HttpResponse<String> r = raw.get(RESPONSES + "/resp_whatever");
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).path("error").has("message"), r.body());
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

}
