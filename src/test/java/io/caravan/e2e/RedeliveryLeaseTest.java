package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lease a redelivery takes: the redelivered upstream step leases the next credential itself, waits for a busy
 * one rather than giving up, and when nothing is left the caller gets the last upstream failure with every lease
 * returned. A fresh gateway per test makes the first lease deterministic (round-robin starts with the first
 * credential of the file).
 */
class RedeliveryLeaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeUpstream first = FakeUpstream.openAi();
    private final FakeUpstream second = FakeUpstream.openAi();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        first.close();
        second.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRedeliveryWaitsForTheBusyCredentialItRotatesTo(boolean stream) throws Exception {
        gateway = TestGateway.builder().credential("busy", first, "[m]", 1).credential("failing", second, "[m]").start();
        RawClient client = new RawClient(gateway);
        first.setDefault(Reply.text("busyanswer").delayed(Duration.ofMillis(2000)));
        second.enqueue(Reply.openAiError(500, "server_error", "second broke"));

        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(() -> ask(client, stream));
        first.awaitRequests(1, Duration.ofSeconds(5));
        // The busy credential is at its cap of one: this request fails on the other, then waits for it.
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> ask(client, stream));
        second.awaitRequests(1, Duration.ofSeconds(5));
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gateway.pool().waitingCount() == 0 && !holder.isDone() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(1, gateway.pool().waitingCount(), "the redelivery queues for the busy credential");
        assertFalse(holder.isDone(), "while the busy credential still serves the first request");
        HttpResponse<String> rotated = waiting.get(10, TimeUnit.SECONDS);

        assertEquals(200, rotated.statusCode(), rotated.body());
        assertTrue(rotated.body().contains("busyanswer"), rotated.body());
        assertEquals(200, holder.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, first.requestCount());
        assertEquals(1, second.requestCount());
        gateway.awaitLeasesBalanced(Duration.ofSeconds(2));
        assertEquals(3, gateway.pool().leasedCount());
        assertEquals(3, gateway.pool().releasedCount());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRedeliveryThatFindsNoCredentialLeftAnswersTheLastFailureAndReturnsEveryLease(boolean stream)
            throws Exception {
        gateway = TestGateway.builder().credential("first", first, "[m]").credential("second", second, "[m]").start();
        RawClient client = new RawClient(gateway);
        first.enqueue(Reply.openAiError(500, "server_error", "first broke"));
        second.enqueue(Reply.openAiError(503, "server_error", "second is overloaded"));

        HttpResponse<String> r = ask(client, stream);

        assertEquals(503, r.statusCode(), r.body());
        assertEquals("second is overloaded", JSON.readTree(r.body()).path("error").path("message").asText());
        gateway.awaitLeasesBalanced(Duration.ofSeconds(2));
        assertEquals(2, gateway.pool().leasedCount());
        assertEquals(2, gateway.pool().releasedCount());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRedeliveryWithRetriesLeftButOnlyUnusableCredentialsAnswersTheLastFailure(boolean stream) throws Exception {
        gateway = TestGateway.builder().credential("first", first, "[m]").credential("second", second, "[m]").start();
        gateway.pool().setEnabled("second", false);
        RawClient client = new RawClient(gateway);
        first.enqueue(Reply.openAiError(502, "server_error", "first broke"));

        HttpResponse<String> r = ask(client, stream);

        // Not the pool's "every credential is cooling" 503: the upstream's own failure is the answer.
        assertEquals(502, r.statusCode(), r.body());
        assertEquals("first broke", JSON.readTree(r.body()).path("error").path("message").asText());
        assertEquals(0, second.requestCount());
        gateway.awaitLeasesBalanced(Duration.ofSeconds(2));
        assertEquals(1, gateway.pool().leasedCount());
        assertEquals(1, gateway.pool().releasedCount());
    }

    private static HttpResponse<String> ask(RawClient client, boolean stream) {
        try {
            return client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hello", stream));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
