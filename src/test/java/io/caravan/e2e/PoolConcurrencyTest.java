package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.pool.Credential;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrency caps, the wait queue, lease accounting under churn, and isolation of concurrent requests. */
class PoolConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requestsOverTheConcurrencyCapWaitTheirTurn() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("single", upstream, "[m]", 1).start()) {
            upstream.setDefault(Reply.text("done").delayed(Duration.ofMillis(300)));
            RawClient client = new RawClient(gateway);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false))));
            }
            for (Future<HttpResponse<String>> a : answers) {
                assertEquals(200, a.get(20, TimeUnit.SECONDS).statusCode());
            }
            pool.shutdown();
            List<RecordedRequest> seen = upstream.requests();
            assertEquals(3, seen.size());
            for (int i = 1; i < seen.size(); i++) {
                long gap = Duration.between(seen.get(i - 1).receivedAt(), seen.get(i).receivedAt()).toMillis();
                assertTrue(gap >= 250, "one request at a time on a max-concurrent 1 credential, gap " + gap + " ms");
            }
        }
    }

    @Test
    void aWaitThatRunsOutAnswers503WithRetryAfter() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.anthropic();
                TestGateway gateway = TestGateway.builder().credential("single", upstream, "[m]", 1)
                        .set("caravan.queue.max-wait-ms", "200").start()) {
            upstream.setDefault(Reply.text("slow").delayed(Duration.ofMillis(1500)));
            RawClient client = new RawClient(gateway);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<HttpResponse<String>> first = pool.submit(() -> client.post(RawClient.MESSAGES, RawClient.messages("m", "a", false)));
            upstream.awaitRequests(1, Duration.ofSeconds(5));
            HttpResponse<String> second = client.post(RawClient.MESSAGES, RawClient.messages("m", "b", false));
            assertEquals(503, second.statusCode());
            assertTrue(second.headers().firstValue("retry-after").isPresent());
            assertEquals("api_error", JSON.readTree(second.body()).path("error").path("type").asText());
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            pool.shutdown();
            gateway.awaitLeasesBalanced(Duration.ofSeconds(2));
            assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
        }
    }

    @Test
    void leasesBalanceAfterMixedRequestsWithRandomCallerDisconnects() throws Exception {
        try (FakeUpstream a = FakeUpstream.openAi(); FakeUpstream b = FakeUpstream.openAi();
                FakeUpstream c = FakeUpstream.anthropic();
                TestGateway gateway = TestGateway.builder().credential("a", a, "[m]").credential("b", b, "[m]")
                        .credential("c", c, "[claude]").set("caravan.cooldown.transient-ms", "50").start()) {
            for (FakeUpstream up : List.of(a, b, c)) {
                up.setDefault(Reply.text("w1 w2 w3 w4 w5 w6 w7 w8").paced(Duration.ofMillis(15)));
            }
            a.enqueue(Reply.openAiError(500, "server_error", "boom"));
            b.enqueue(Reply.dropAfter(2));
            c.enqueue(Reply.overloaded());
            RawClient client = new RawClient(gateway);
            Random random = new Random(7);
            List<Callable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean anthropic = random.nextBoolean();
                boolean stream = random.nextBoolean();
                boolean abandon = stream && random.nextInt(3) == 0;
                String path = anthropic ? RawClient.MESSAGES : RawClient.OPENAI_CHAT;
                String body = anthropic ? RawClient.messages("claude", "q" + i, stream) : RawClient.chat("m", "q" + i, stream);
                work.add(() -> {
                    if (abandon) {
                        return RawClient.openAndAbandon(gateway, path, body, "w2");
                    }
                    return stream ? client.stream(path, body).status() : client.post(path, body).statusCode();
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            int answered = 0;
            // What the fakes' faults and the pool can answer: a 200, the upstreams' own 500 and 529 once no other
            // credential is left, 502 for the dropped connection, the pool's 503 while every credential cools.
            Set<Integer> expected = Set.of(200, 500, 502, 503, 529);
            for (Future<Integer> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
                int status = f.get();
                assertTrue(expected.contains(status), "unexpected status " + status);
                answered += status == 200 ? 1 : 0;
            }
            pool.shutdown();
            gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
            // Requests that find every credential of their model cooling (after the 500, the drop or the 529) get
            // 503 at once without a lease; how many do depends on the machine's speed. Every 200 held a lease.
            assertTrue(answered > 0, "no request was answered");
            assertTrue(gateway.pool().leasedCount() >= answered,
                    "leases: " + gateway.pool().leasedCount() + ", answered: " + answered);
            assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
            for (Credential credential : gateway.pool().credentials()) {
                assertEquals(0, credential.inFlight(), credential.name() + " has requests in flight");
            }
            assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(5)), "disconnected callers left the in-flight count");
        }
    }

    @Test
    void twoHundredConcurrentMixedRequestsEachGetTheirOwnAnswer() throws Exception {
        try (FakeUpstream openAi = FakeUpstream.openAi(); FakeUpstream anthropic = FakeUpstream.anthropic();
                TestGateway gateway = TestGateway.builder().credential("openai", openAi, "[\"oa-*\"]", 256)
                        .credential("anthropic", anthropic, "[\"an-*\"]", 256).start()) {
            openAi.setDefault(Reply.text("answer from openai").paced(Duration.ofMillis(5)));
            anthropic.setDefault(Reply.text("answer from anthropic").paced(Duration.ofMillis(5)));
            RawClient client = new RawClient(gateway);
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                work.add(() -> {
                    boolean anthropicCall = n % 2 == 0;
                    boolean stream = n % 4 < 2;
                    String model = (anthropicCall ? "an-" : "oa-") + n;
                    String path = anthropicCall ? RawClient.MESSAGES : RawClient.OPENAI_CHAT;
                    String body = anthropicCall ? RawClient.messages(model, "q" + n, stream) : RawClient.chat(model, "q" + n, stream);
                    String expected = anthropicCall ? "answer from anthropic" : "answer from openai";
                    if (stream) {
                        RawClient.Capture c = client.stream(path, body);
                        assertEquals(200, c.status());
                        StringBuilder text = new StringBuilder();
                        for (String data : c.dataLines()) {
                            if (data.equals("[DONE]")) {
                                continue;
                            }
                            JsonNode event = JSON.readTree(data);
                            String seenModel = event.has("model") ? event.path("model").asText()
                                    : event.path("message").path("model").asText(null);
                            if (seenModel != null && !seenModel.isEmpty()) {
                                assertEquals(model, seenModel);
                            }
                            text.append(event.path("choices").path(0).path("delta").path("content").asText(""));
                            text.append(event.path("delta").path("text").asText(""));
                        }
                        assertEquals(expected, text.toString().trim());
                    } else {
                        HttpResponse<String> r = client.post(path, body);
                        assertEquals(200, r.statusCode(), r.body());
                        JsonNode answer = JSON.readTree(r.body());
                        assertEquals(model, answer.path("model").asText());
                        String text = anthropicCall ? answer.path("content").path(0).path("text").asText()
                                : answer.path("choices").path(0).path("message").path("content").asText();
                        assertEquals(expected, text);
                    }
                    return model;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(200);
            int done = 0;
            for (Future<String> f : pool.invokeAll(work, 120, TimeUnit.SECONDS)) {
                f.get();
                done++;
            }
            pool.shutdown();
            assertEquals(200, done);
            assertEquals(200, openAi.requestCount() + anthropic.requestCount());
            gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
            assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
        }
    }
}
