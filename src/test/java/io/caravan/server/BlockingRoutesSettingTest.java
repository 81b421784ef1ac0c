package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.e2e.RawClient;
import io.caravan.e2e.TestGateway;
import io.caravan.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code caravan.routes.blocking} as a user sets it, through the booted gateway: a YAML route that looks safe for the
 * event loop runs there unless the setting names it, and then on a worker thread.
 */
class BlockingRoutesSettingTest {

    private static final String ROUTES = """
            - route:
                id: where-am-i
                from:
                  uri: platform-http:/test/where-am-i
                  steps:
                    - setBody:
                        simple: "${threadName}"
            """;

    @ParameterizedTest(name = "caravan.routes.blocking=''{0}'' -> {1}")
    @CsvSource({"'', vert.x-eventloop-thread-", "'other-route, where-am-i', vert.x-worker-thread-"})
    void theSettingKeepsTheNamedRoutesOffTheEventLoop(String blocking, String threadPrefix) throws Exception {
        Path routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("where.camel.yaml"), ROUTES);
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                        .set("caravan.routes.blocking", blocking)
                        .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start()) {
            HttpResponse<String> answer = new RawClient(gateway).get("/test/where-am-i");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith(threadPrefix), "served by " + answer.body());
        } finally {
            Files.deleteIfExists(routes.resolve("where.camel.yaml"));
            Files.deleteIfExists(routes);
        }
    }
}
