package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A route that ends with an exception nobody handled is answered by the gateway: 500 with a JSON error in the
 * caller's dialect and only the gateway's own headers, never Camel's default error page or the caller's request
 * headers reflected back.
 */
class UnexpectedFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OWN_HEADERS = Set.of("content-type", "content-length", "x-request-id", "connection",
            "keep-alive", "date");

    private static final String ROUTES = """
            - route:
                id: test-boom
                from:
                  uri: platform-http:/v1/boom
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: boom from a route
            - route:
                id: test-before-upstream-boom
                from:
                  uri: direct:caravan-before-upstream
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: boom from a hook
            """;

    @Test
    void anExceptionNobodyHandledIsA500InTheCallersDialectWithNoCallerHeaders() throws Exception {
        Path routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("boom.camel.yaml"), ROUTES);
        try (FakeUpstream upstream = FakeUpstream.anthropic();
                TestGateway gateway = TestGateway.builder().credential("anthropic", upstream, "[m]")
                        .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> openAi = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/boom"))
                    .header("x-echo-me", "reflected-value").header("authorization", "Bearer " + TestGateway.CLIENT_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertOwnAnswer(openAi);
            JsonNode error = JSON.readTree(openAi.body());
            assertEquals("server_error", error.path("error").path("type").asText(), openAi.body());

            HttpResponse<String> anthropic = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/boom"))
                    .header("x-echo-me", "reflected-value").header("anthropic-version", "2023-06-01")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertOwnAnswer(anthropic);
            assertEquals("api_error", JSON.readTree(anthropic.body()).path("error").path("type").asText(), anthropic.body());

            // A hook of the gateway's own routes that throws.
            HttpResponse<String> hooked = new RawClient(gateway).send(new RawClient(gateway)
                    .request(RawClient.MESSAGES, RawClient.messages("m", "hi", false)).header("x-echo-me", "reflected-value"));
            assertOwnAnswer(hooked);
            assertEquals("error", JSON.readTree(hooked.body()).path("type").asText(), hooked.body());
            assertEquals(0, upstream.requestCount(), "nothing went upstream");
        } finally {
            Files.deleteIfExists(routes.resolve("boom.camel.yaml"));
            Files.deleteIfExists(routes);
        }
    }

    private static void assertOwnAnswer(HttpResponse<String> response) {
        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                response.headers().toString());
        assertTrue(response.headers().firstValue("x-request-id").orElse("").startsWith("req_"), response.headers().toString());
        for (String name : response.headers().map().keySet()) {
            assertTrue(OWN_HEADERS.contains(name.toLowerCase()), "header " + name + " is not the gateway's own: "
                    + response.headers());
        }
        assertFalse(response.body().contains("reflected-value"), response.body());
        assertFalse(response.body().contains("boom"), "no exception text: " + response.body());
        assertFalse(response.body().contains("Exception"), "no stack trace: " + response.body());
    }
}
