package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream error bodies quoting the credential's key, relayed through the booted gateway verbatim (same dialect) and
 * translated: the caller sees the error, never the key or any part of it of 8 characters or more.
 */
class KeyMaskingTest {

    private final FakeUpstream openAi = FakeUpstream.openAi();
    private final FakeUpstream anthropic = FakeUpstream.anthropic();
    private TestGateway gateway;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.builder().credential("oa", openAi, "[o]").credential("an", anthropic, "[a]")
                .set("caravan.request-retry", "0").start();
        client = new RawClient(gateway);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        openAi.close();
        anthropic.close();
    }

    /** What a provider might say: the whole key, a fragment from its middle and its last characters. */
    private static String quoting(String key) {
        return "Incorrect API key provided: " + key + ". Your key contains " + key.substring(10, 20)
                + " and ends in " + key.substring(key.length() - 9) + ".";
    }

    private static void assertNoPartOfTheKey(String key, HttpResponse<String> r) {
        String body = r.body();
        for (int i = 0; i + 8 <= key.length(); i++) {
            assertFalse(body.contains(key.substring(i, i + 8)), "key fragment " + key.substring(i, i + 8) + " in " + body);
        }
        assertTrue(body.contains("Incorrect API key provided: [redacted]. Your key contains [redacted] and ends in "
                + "[redacted]."), body);
    }

    @Test
    void errorsRelayedVerbatimNeverShowTheKey() throws Exception {
        openAi.enqueue(Reply.openAiError(400, "invalid_request_error", quoting(openAi.apiKey())));
        HttpResponse<String> badRequest = client.post(RawClient.OPENAI_CHAT, RawClient.chat("o", "hi", false));
        assertEquals(400, badRequest.statusCode());
        assertNoPartOfTheKey(openAi.apiKey(), badRequest);

        anthropic.enqueue(Reply.anthropicError(500, "api_error", quoting(anthropic.apiKey())));
        HttpResponse<String> serverError = client.post(RawClient.MESSAGES, RawClient.messages("a", "hi", false));
        assertEquals(500, serverError.statusCode());
        assertNoPartOfTheKey(anthropic.apiKey(), serverError);
    }

    @Test
    void translatedErrorsNeverShowTheKey() throws Exception {
        openAi.enqueue(Reply.openAiError(500, "server_error", quoting(openAi.apiKey())));
        HttpResponse<String> toAnthropicCaller = client.post(RawClient.MESSAGES, RawClient.messages("o", "hi", false));
        assertEquals(500, toAnthropicCaller.statusCode());
        assertTrue(toAnthropicCaller.body().contains("\"type\":\"error\""), toAnthropicCaller.body());
        assertNoPartOfTheKey(openAi.apiKey(), toAnthropicCaller);

        anthropic.enqueue(Reply.anthropicError(400, "invalid_request_error", quoting(anthropic.apiKey())));
        HttpResponse<String> toOpenAiCaller = client.post(RawClient.OPENAI_CHAT, RawClient.chat("a", "hi", false));
        assertEquals(400, toOpenAiCaller.statusCode());
        assertNoPartOfTheKey(anthropic.apiKey(), toOpenAiCaller);
    }
}
