package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.e2e.TestGateway;
import io.caravan.testing.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user route on a platform-http endpoint that leaves its answer in the message is answered with the message's
 * status, content type, headers and body, whatever the body's type, and without leaking Camel's own headers or the
 * route's path parameters.
 */
class RouteAnswerWriterTest {

    private static final String ROUTES = """
            - route:
                id: test-answer
                from:
                  uri: platform-http:/test/answer/{kind}
                  steps:
                    - setHeader:
                        name: CamelHttpResponseCode
                        constant: "201"
                    - setHeader:
                        name: Content-Type
                        constant: "text/plain; charset=utf-8"
                    - setHeader:
                        name: x-route
                        constant: answered
                    - setBody:
                        simple: "answer for ${header.kind}"
                    - choice:
                        when:
                          - simple: "${header.kind} == 'bytes'"
                            steps:
                              - convertBodyTo:
                                  type: "byte[]"
                          - simple: "${header.kind} == 'stream'"
                            steps:
                              - convertBodyTo:
                                  type: java.io.InputStream
            - route:
                id: test-echo
                from:
                  uri: platform-http:/test/echo
                  steps:
                    - convertBodyTo:
                        type: java.io.InputStream
            - route:
                id: test-no-body
                from:
                  uri: platform-http:/test/nothing
                  steps:
                    - setBody:
                        simple: "${null}"
            """;

    private static Path routes;
    private static FakeUpstream upstream;
    private static TestGateway gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("answers.camel.yaml"), ROUTES);
        upstream = FakeUpstream.openAi();
        gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
        Files.deleteIfExists(routes.resolve("answers.camel.yaml"));
        Files.deleteIfExists(routes);
    }

    @Test
    void aStringBodyIsSentWhole() throws Exception {
        HttpResponse<String> answer = get("/test/answer/text");
        assertAnswered(answer, "text");
        assertEquals(String.valueOf("answer for text".length()), answer.headers().firstValue("content-length").orElse(""));
    }

    @Test
    void aByteArrayBodyIsSentWhole() throws Exception {
        HttpResponse<String> answer = get("/test/answer/bytes");
        assertAnswered(answer, "bytes");
        assertEquals(String.valueOf("answer for bytes".length()), answer.headers().firstValue("content-length").orElse(""));
    }

    @Test
    void aStreamBodyIsSentChunkedAsItIsRead() throws Exception {
        HttpResponse<String> answer = get("/test/answer/stream");
        assertAnswered(answer, "stream");
        assertEquals("chunked", answer.headers().firstValue("transfer-encoding").orElse(""), answer.headers().toString());
        assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(3)), "the exchange completed");
    }

    @Test
    void aLargeStreamBodyArrivesWholeAndInOrder() throws Exception {
        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() < 1024 * 1024; i++) {
            large.append(i).append(',');
        }
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/test/echo"))
                .POST(HttpRequest.BodyPublishers.ofString(large.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertEquals(large.length(), answer.body().length());
        assertEquals(large.toString(), answer.body());
        assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(3)), "the exchange completed");
    }

    @Test
    void noBodyIs204() throws Exception {
        HttpResponse<String> answer = get("/test/nothing");
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals("", answer.body());
    }

    private static void assertAnswered(HttpResponse<String> answer, String kind) {
        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals("answer for " + kind, answer.body());
        assertEquals("text/plain; charset=utf-8", answer.headers().firstValue("content-type").orElse(""));
        assertEquals("answered", answer.headers().firstValue("x-route").orElse(""));
        for (String name : answer.headers().map().keySet()) {
            assertFalse(name.toLowerCase().startsWith("camel"), "Camel header leaked: " + answer.headers());
            assertFalse(name.equalsIgnoreCase("kind"), "path parameter leaked: " + answer.headers());
        }
        assertTrue(answer.headers().allValues("content-type").size() == 1, answer.headers().toString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
