package io.caravan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake OpenAI upstream's {@code POST /v1/embeddings}: OpenAI's answer shape with deterministic unit vectors, as
 * floats or OpenAI's base64 of little-endian 32-bit floats, and OpenAI's refusals of malformed requests.
 */
class FakeEmbeddingsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static FakeUpstream openAi;

    @BeforeAll
    static void start() {
        openAi = FakeUpstream.openAi();
    }

    @AfterAll
    static void stop() {
        openAi.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/embeddings"))
                .header("Authorization", "Bearer " + openAi.apiKey()).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void vectorsAreDeterministicOfUnitLengthAndDifferByText() {
        float[] vector = FakeEmbeddings.vector("hello", 16);
        assertEquals(16, vector.length);
        assertTrue(java.util.Arrays.equals(vector, FakeEmbeddings.vector("hello", 16)));
        assertFalse(java.util.Arrays.equals(vector, FakeEmbeddings.vector("hello!", 16)));
        double squares = 0;
        for (float component : vector) {
            squares += component * component;
        }
        assertEquals(1.0, squares, 1e-5);
    }

    @Test
    void aBatchIsAnsweredInOpenAisShapeWithEachInputsVectorAndItsTokens() throws Exception {
        HttpResponse<String> answer = post("{\"model\":\"text-embedding-3-small\",\"input\":[\"one\",\"two words\"],"
                + "\"dimensions\":8,\"encoding_format\":\"float\"}");

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = Json.parse(answer.body());
        assertEquals("list", body.get("object").asText());
        assertEquals("text-embedding-3-small", body.get("model").asText());
        assertEquals(2, body.get("data").size());
        JsonNode second = body.get("data").get(1);
        assertEquals("embedding", second.get("object").asText());
        assertEquals(1, second.get("index").asInt());
        float[] expected = FakeEmbeddings.vector("two words", 8);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], second.get("embedding").get(i).floatValue());
        }
        int tokens = FakeUpstream.estimateTokens("one") + FakeUpstream.estimateTokens("two words");
        assertEquals(tokens, body.at("/usage/prompt_tokens").asInt());
        assertEquals(tokens, body.at("/usage/total_tokens").asInt());
        assertFalse(body.get("usage").has("completion_tokens"));
    }

    @Test
    void base64IsTheLittleEndianFloatsOfTheSameVector() throws Exception {
        HttpResponse<String> answer = post("{\"model\":\"m\",\"input\":\"hello\",\"encoding_format\":\"base64\"}");

        String base64 = Json.parse(answer.body()).at("/data/0/embedding").asText();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = FakeEmbeddings.vector("hello", FakeEmbeddings.DEFAULT_DIMENSIONS);
        assertEquals(expected.length * Float.BYTES, bytes.remaining());
        for (float component : expected) {
            assertEquals(component, bytes.getFloat());
        }
    }

    @Test
    void malformedRequestsGetOpenAisErrors() throws Exception {
        HttpResponse<String> noInput = post("{\"model\":\"m\"}");
        assertEquals(400, noInput.statusCode());
        assertEquals("Missing required parameter: 'input'.", Json.parse(noInput.body()).at("/error/message").asText());
        assertEquals("missing_required_parameter", Json.parse(noInput.body()).at("/error/code").asText());

        HttpResponse<String> emptyText = post("{\"model\":\"m\",\"input\":\"\"}");
        assertEquals(400, emptyText.statusCode());
        assertTrue(emptyText.body().contains("'$.input' is invalid"), emptyText.body());

        HttpResponse<String> mixed = post("{\"model\":\"m\",\"input\":[\"a\", 1]}");
        assertEquals(400, mixed.statusCode(), mixed.body());

        HttpResponse<String> unknown = post("{\"model\":\"m\",\"input\":\"a\",\"messages\":[]}");
        assertEquals("Unrecognized request argument supplied: messages",
                Json.parse(unknown.body()).at("/error/message").asText());

        HttpResponse<String> format = post("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"}");
        assertEquals("invalid_value", Json.parse(format.body()).at("/error/code").asText());
        assertEquals("encoding_format", Json.parse(format.body()).at("/error/param").asText());
    }

    @Test
    void errorRepliesAnswerEmbeddingsButTextRepliesWaitForAChatRequest() throws Exception {
        openAi.enqueue(Reply.text("for a chat")).enqueue(Reply.rateLimited(7));

        HttpResponse<String> limited = post("{\"model\":\"m\",\"input\":\"a\"}");
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
        assertEquals(1, openAi.pendingReplies(), "the text reply is still queued");

        HttpResponse<String> served = post("{\"model\":\"m\",\"input\":\"a\"}");
        assertEquals(200, served.statusCode());
        assertNotEquals(-1, served.body().indexOf("\"object\":\"list\""));
        openAi.discardPendingReplies();
    }
}
