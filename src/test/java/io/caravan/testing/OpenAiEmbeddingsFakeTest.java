package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAI fake's {@code POST /v1/embeddings}: OpenAI's answer shape, its checks and the shared error replies. */
class OpenAiEmbeddingsFakeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void embeddingsAreDeterministicInFloatOrBase64WithUsage() throws Exception {
        try (FakeUpstream up = FakeUpstream.openAi()) {
            JsonNode floats = Json.parse(post(up, "{\"model\":\"text-embedding-3-small\",\"input\":[\"a cat\","
                    + "\"a dog\"],\"dimensions\":4}").body());
            assertEquals("list", floats.get("object").asText());
            assertEquals("text-embedding-3-small", floats.get("model").asText());
            JsonNode first = floats.at("/data/0");
            assertEquals("embedding", first.get("object").asText());
            assertEquals(0, first.get("index").asInt());
            assertEquals(4, first.get("embedding").size());
            assertNotEquals(first.get("embedding"), floats.at("/data/1/embedding"));
            assertTrue(floats.at("/usage/prompt_tokens").asInt() > 0);
            assertEquals(floats.at("/usage/prompt_tokens"), floats.at("/usage/total_tokens"));

            JsonNode encoded = Json.parse(post(up, "{\"model\":\"text-embedding-3-small\",\"input\":\"a cat\","
                    + "\"dimensions\":4,\"encoding_format\":\"base64\"}").body());
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.at("/data/0/embedding").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 4; i++) {
                assertEquals(first.get("embedding").get(i).floatValue(), bytes.getFloat(), "same vector, encoded");
            }
            assertEquals(1536, Json.parse(post(up, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}").body())
                    .at("/data/0/embedding").size());
        }
    }

    @Test
    void refusesWhatOpenAiRefusesAndTakesScriptedErrors() throws Exception {
        try (FakeUpstream up = FakeUpstream.openAi()) {
            HttpResponse<String> unknown = post(up, "{\"model\":\"m\",\"input\":\"x\",\"task_type\":\"q\"}");
            assertEquals(400, unknown.statusCode());
            assertEquals("Unrecognized request argument supplied: task_type",
                    Json.parse(unknown.body()).at("/error/message").asText());
            HttpResponse<String> noInput = post(up, "{\"model\":\"m\"}");
            assertEquals("missing_required_parameter", Json.parse(noInput.body()).at("/error/code").asText());

            up.enqueue(Reply.rateLimited(2));
            HttpResponse<String> limited = post(up, "{\"model\":\"m\",\"input\":\"x\"}");
            assertEquals(429, limited.statusCode());
            assertEquals("2", limited.headers().firstValue("retry-after").orElseThrow());
        }
    }

    private HttpResponse<String> post(FakeUpstream up, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/embeddings"))
                .header("Authorization", "Bearer " + up.apiKey()).header("content-type", "application/json")
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
