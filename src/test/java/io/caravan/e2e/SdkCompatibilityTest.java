package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official SDKs as callers of the gateway, streaming and not, including errors they must surface. */
class SdkCompatibilityTest {

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai", openAiUpstream, "[gpt-sdk]")
                .credential("anthropic", anthropicUpstream, "[claude-sdk]")
                .start();
        openAi = gateway.openAiClient();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(TestGateway.CLIENT_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        openAi.close();
        anthropic.close();
        gateway.close();
        openAiUpstream.close();
        anthropicUpstream.close();
    }

    @BeforeEach
    void restPool() throws InterruptedException {
        // A stream's lease goes back just after its last byte: let the previous test's settle first.
        gateway.awaitLeasesBalanced(java.time.Duration.ofSeconds(3));
        gateway.pool().setEnabled("openai", true);
        gateway.pool().setEnabled("anthropic", true);
    }

    private static ChatCompletionCreateParams chat() {
        return ChatCompletionCreateParams.builder().model("gpt-sdk").addUserMessage("Say hello").build();
    }

    private static MessageCreateParams message() {
        return MessageCreateParams.builder().model("claude-sdk").maxTokens(64).addUserMessage("Say hello").build();
    }

    @Test
    void openAiSdkNonStreaming() {
        openAiUpstream.enqueue(Reply.text("Hello from the upstream"));
        ChatCompletion completion = openAi.chat().completions().create(chat());
        assertEquals("Hello from the upstream", completion.choices().get(0).message().content().orElseThrow());
        assertTrue(completion.usage().orElseThrow().totalTokens() > 0);
    }

    @Test
    void openAiSdkStreaming() {
        openAiUpstream.enqueue(Reply.text("one two three four").paced(Duration.ofMillis(20)));
        try (var stream = openAi.chat().completions().createStreaming(chat())) {
            String text = stream.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse(""))
                    .collect(Collectors.joining());
            assertEquals("one two three four", text.trim());
        }
    }

    @Test
    void openAiSdkSeesUpstreamErrorsWithTheirStatusAndMessage() {
        openAiUpstream.enqueue(Reply.openAiError(400, "invalid_request_error", "messages must not be empty"));
        var e = assertThrows(com.openai.errors.BadRequestException.class, () -> openAi.chat().completions().create(chat()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("messages must not be empty"), e.getMessage());
    }

    @Test
    void openAiSdkThrowsOnAnInBandStreamError() {
        openAiUpstream.enqueue(Reply.dropAfter(2));
        // The gateway's in-band error event is what the SDK throws on, not a broken connection.
        var e = assertThrows(com.openai.errors.OpenAIException.class, () -> {
            try (var stream = openAi.chat().completions().createStreaming(chat())) {
                stream.stream().forEach(ChatCompletionChunk::choices);
            }
        });
        assertTrue(String.valueOf(e.getMessage()).contains("lost in the middle of the answer"), e.getMessage());
    }

    @Test
    void anthropicSdkNonStreaming() {
        anthropicUpstream.enqueue(Reply.text("Hello from Claude"));
        Message m = anthropic.messages().create(message());
        assertEquals("Hello from Claude", m.content().get(0).text().orElseThrow().text());
        assertTrue(m.usage().outputTokens() > 0);
    }

    @Test
    void anthropicSdkStreaming() {
        anthropicUpstream.enqueue(Reply.text("alpha beta gamma").paced(Duration.ofMillis(20)));
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(message())) {
            String text = stream.stream()
                    .flatMap(e -> e.contentBlockDelta().stream())
                    .flatMap(d -> d.delta().text().stream())
                    .map(t -> t.text())
                    .collect(Collectors.joining());
            assertEquals("alpha beta gamma", text.trim());
        }
    }

    @Test
    void anthropicSdkThrowsOnAnInBandStreamError() {
        anthropicUpstream.enqueue(Reply.dropAfter(1));
        var e = assertThrows(com.anthropic.errors.AnthropicException.class, () -> {
            try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(message())) {
                stream.stream().forEach(event -> { });
            }
        });
        assertTrue(String.valueOf(e.getMessage()).contains("lost in the middle of the answer"), e.getMessage());
    }

    @Test
    void anthropicSdkSeesRateLimitsAsRateLimitErrors() {
        anthropicUpstream.enqueue(Reply.rateLimited(30));
        var e = assertThrows(com.anthropic.errors.RateLimitException.class, () -> anthropic.messages().create(message()));
        assertEquals(429, e.statusCode());
    }

    @Test
    void anthropicSdkCountsTokensThroughTheGateway() {
        anthropicUpstream.enqueue(Reply.countTokens(42));
        long tokens = anthropic.messages().countTokens(MessageCountTokensParams.builder().model("claude-sdk")
                .addUserMessage("How many tokens is this?").build()).inputTokens();
        assertEquals(42, tokens);
    }
}
