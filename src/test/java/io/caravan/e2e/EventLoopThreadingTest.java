package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Routes run on the event loop, so anything that waits must not: with a single event loop, a request that waits
 * for a busy credential or sits in a hook route that calls out must leave the gateway free to answer others.
 */
class EventLoopThreadingTest {

    @Test
    void aRequestWaitingForABusyCredentialLeavesTheEventLoopFree() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("single", upstream, "[m]", 1)
                        .set("caravan.event-loops", "1").set("caravan.queue.max-wait-ms", "10000").start()) {
            upstream.setDefault(Reply.text("slow").delayed(Duration.ofMillis(3000)));
            RawClient client = new RawClient(gateway);
            CompletableFuture<HttpResponse<String>> first = client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "a", false));
            upstream.awaitRequests(1, Duration.ofSeconds(5));
            CompletableFuture<HttpResponse<String>> waiting = client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "b", false));
            awaitWaiting(gateway);

            assertEquals(200, healthWithinSeconds(gateway, 2));
            assertFalse(waiting.isDone(), "health was answered while the second request still waited for the credential");
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, waiting.get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void aHookRouteThatCallsOutRunsOffTheEventLoop() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch called = new CountDownLatch(1);
        HttpServer audit = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        audit.createContext("/audit", exchange -> {
            called.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        audit.start();
        Path routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("hooks.camel.yaml"), """
                - route:
                    id: audit-before-upstream
                    from:
                      uri: direct:caravan-before-upstream
                      steps:
                        - removeHeaders:
                            pattern: "Camel*"
                        - setHeader:
                            name: CamelHttpMethod
                            constant: GET
                        - to:
                            uri: "http://127.0.0.1:%d/audit"
                            variableReceive: audit
                """.formatted(audit.getAddress().getPort()));
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                        .set("caravan.event-loops", "1")
                        .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start()) {
            upstream.setDefault(Reply.text("audited"));
            RawClient client = new RawClient(gateway);
            CompletableFuture<HttpResponse<String>> inHook = client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "a", false));
            assertTrue(called.await(10, TimeUnit.SECONDS), "the hook route called the audit service");

            // The hook holds its thread until released; on the only event loop, health could not be answered at all.
            assertEquals(200, healthWithinSeconds(gateway, 5));
            assertFalse(inHook.isDone(), "health was answered while the request sat in its hook");
            release.countDown();
            HttpResponse<String> answer = inHook.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().contains("audited"), answer.body());
        } finally {
            release.countDown();
            audit.stop(0);
            Files.deleteIfExists(routes.resolve("hooks.camel.yaml"));
            Files.deleteIfExists(routes);
        }
    }

    private static int healthWithinSeconds(TestGateway gateway, int seconds) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/healthz"))
                .timeout(Duration.ofSeconds(seconds)).GET().build();
        return HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitWaiting(TestGateway gateway) throws InterruptedException {
        for (int i = 0; i < 250 && gateway.pool().waitingCount() == 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(1, gateway.pool().waitingCount(), "the second request waits for the busy credential");
    }
}
