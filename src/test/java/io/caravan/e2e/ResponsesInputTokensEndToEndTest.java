package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.inputtokens.InputTokenCountParams;
import com.openai.models.responses.inputtokens.InputTokenCountResponse;
import io.caravan.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11: {@code POST /v1/responses/input_tokens} ({@code client.responses().inputTokens().count(…)}) through the
 * booted gateway. No credential speaks the Responses API, so the count is a local estimate for a model served by a
 * Chat Completions credential and for one served by an Anthropic credential alike: no upstream is called, and the
 * answer is the shape openai-java reads ({@code {"object":"response.input_tokens","input_tokens":n}}).
 */
class ResponsesInputTokensEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPT = "gpt-count";
    private static final String CLAUDE = "claude-count";
    private static final String INPUT_TOKENS = "/v1/responses/input_tokens";

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;
    private static OpenAIClient client;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai-count", openAiUpstream, "[" + GPT + "]")
                .credential("anthropic-count", anthropicUpstream, "[" + CLAUDE + "]")
                .start();
        client = gateway.openAiClient();
        raw = new RawClient(gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(client, gateway, openAiUpstream, anthropicUpstream);
    }

    private static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("Current weather of a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    private static long count(InputTokenCountParams params) {
        InputTokenCountResponse counted = client.responses().inputTokens().count(params);
        counted.validate();
        return counted.inputTokens();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GPT, CLAUDE})
    void theSdkGetsALocalEstimateThatGrowsWithTheInputAndNoUpstreamIsCalled(String model) {
        int before = openAiUpstream.requestCount() + anthropicUpstream.requestCount();

        long hello = count(InputTokenCountParams.builder().model(model).input("Hello").build());
        long longer = count(InputTokenCountParams.builder().model(model).instructions("Answer in French.")
                .input("Tell me about the weather in Paris. ".repeat(50)).build());
        long withTool = count(InputTokenCountParams.builder().model(model).instructions("Answer in French.")
                .input("Tell me about the weather in Paris. ".repeat(50)).addTool(weatherTool()).build());

        assertTrue(hello > 0, "hello: " + hello);
        // 1,800 characters of English: about 450 tokens
        assertTrue(longer > hello + 400, hello + " then " + longer);
        assertTrue(withTool > longer, "a tool definition is input too: " + longer + " then " + withTool);
        assertEquals(before, openAiUpstream.requestCount() + anthropicUpstream.requestCount(),
                "estimated locally, not asked of an upstream");
    }

    @Test
    void theAnswerIsTheResponsesInputTokensObject() throws Exception {
        HttpResponse<String> r = raw.post(INPUT_TOKENS, "{\"model\":\"" + GPT + "\",\"input\":\"Hello there\"}");

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                r.headers().toString());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(2, body.size(), r.body());
        assertEquals("response.input_tokens", body.path("object").asText(), r.body());
        assertTrue(body.path("input_tokens").isIntegralNumber() && body.path("input_tokens").asLong() > 0, r.body());
    }

    /** The same checks as {@code POST /v1/responses}: what no credential could serve is a 400 in its shape. */
    @Test
    void whatChatCompletionsCannotCarryIsRefusedAsForAnAnswer() throws Exception {
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.responses().inputTokens()
                .count(InputTokenCountParams.builder().model(GPT).input("hi")
                        .reasoning(Reasoning.builder().effort(ReasoningEffort.of("maximal")).build())
                        .build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("reasoning.effort"), e.getMessage());

        HttpResponse<String> r = raw.post(INPUT_TOKENS,
                "{\"model\":\"" + CLAUDE + "\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText(), r.body());
        assertEquals("unsupported_parameter", error.path("code").asText(), r.body());
    }

    @Test
    void aModelNoCredentialServesIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.responses().inputTokens()
                .count(InputTokenCountParams.builder().model("nobody-serves-this").input("hi").build()));

        assertEquals(404, e.statusCode());
    }
}
