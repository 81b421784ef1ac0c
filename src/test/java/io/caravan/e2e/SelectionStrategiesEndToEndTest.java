package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The selection strategies and tiers through the booted gateway: one fake upstream per credential, so that what each
 * upstream received is what the pool chose. Counts are checked exactly where the strategy is deterministic, and
 * against bounds no other strategy meets where it is not.
 */
class SelectionStrategiesEndToEndTest {

    private static final String ADMIN = "caravan-test-admin-key-for-strategies-0123456789";
    /** Streams that hold a credential's slot: far longer than any test, ended by closing the caller's side. */
    private static final Reply SLOW_STREAM = Reply.text("slow ".repeat(300).trim()).paced(Duration.ofMillis(100));

    private final FakeUpstream a = FakeUpstream.openAi();
    private final FakeUpstream b = FakeUpstream.openAi();
    private final FakeUpstream c = FakeUpstream.openAi();
    private final List<HttpResponse<InputStream>> heldStreams = new ArrayList<>();
    private TestGateway gateway;
    private RawClient client;

    @AfterEach
    void stop() throws Exception {
        for (HttpResponse<InputStream> held : heldStreams) {
            held.body().close();
        }
        TestGateway.closeAll(gateway, a, b, c);
    }

    /** One credential's entry in the credentials file, serving {@code models}. */
    private static String entry(String name, FakeUpstream upstream, String models, int maxConcurrent, int weight,
            int tier) {
        return "  - name: " + name + "\n"
                + "    kind: openai\n"
                + "    base-url: " + upstream.baseUrl() + "\n"
                + "    api-key: " + upstream.apiKey() + "\n"
                + "    models: " + models + "\n"
                + "    max-concurrent: " + maxConcurrent + "\n"
                + "    weight: " + weight + "\n"
                + "    tier: " + tier + "\n";
    }

    private static String entry(String name, FakeUpstream upstream) {
        return entry(name, upstream, "[m]", 64, 1, 1);
    }

    private void start(String routing, String... entries) throws Exception {
        TestGateway.Builder builder = TestGateway.builder().set("caravan.admin-keys", ADMIN)
                .set("caravan.reload.interval-ms", "0");
        for (String entry : entries) {
            builder.rawCredential(entry);
        }
        if (routing != null) {
            builder.routing(routing);
        }
        gateway = builder.start();
        client = new RawClient(gateway);
    }

    private void ask(String model) throws Exception {
        HttpResponse<String> answer = client.post(RawClient.OPENAI_CHAT, RawClient.chat(model, "hi", false));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    /** {@code n} requests one after the other. */
    private void askInTurn(String model, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            ask(model);
        }
    }

    /** {@code n} requests, eight at a time: the strategies whose counts do not depend on the order are checked so. */
    private void askConcurrently(String model, int n) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                work.add(() -> {
                    ask(model);
                    return null;
                });
            }
            for (Future<Void> done : callers.invokeAll(work, 60, TimeUnit.SECONDS)) {
                done.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** Opens {@code n} streams of {@code model} on {@code upstream} and returns once it has received all of them. */
    private void holdStreams(FakeUpstream upstream, String model, int n) throws Exception {
        int before = upstream.requestCount();
        for (int i = 0; i < n; i++) {
            upstream.enqueue(SLOW_STREAM);
        }
        for (int i = 0; i < n; i++) {
            HttpResponse<InputStream> held = client.http().send(
                    client.request(RawClient.OPENAI_CHAT, RawClient.chat(model, "hold", true)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, held.statusCode());
            heldStreams.add(held);
        }
        upstream.awaitRequests(before + n, Duration.ofSeconds(10));
    }

    /** Ends the held streams (the callers hang up) and waits until their credentials' slots are back. */
    private void releaseStreams() throws Exception {
        for (HttpResponse<InputStream> held : heldStreams) {
            held.body().close();
        }
        heldStreams.clear();
        gateway.awaitLeasesBalanced(Duration.ofSeconds(10));
        assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
    }

    private long coolingMillis(String credential) {
        return TimeUnit.NANOSECONDS.toMillis(gateway.pool().credential(credential).coolingRemainingNanos(System.nanoTime()));
    }

    private List<Integer> counts() {
        return List.of(a.requestCount(), b.requestCount(), c.requestCount());
    }

    private AdminApi.Answer reload() throws Exception {
        AdminApi.Answer answer = new AdminApi(gateway, ADMIN).post("/admin/v1/reload");
        assertEquals(200, answer.status(), answer.text());
        assertEquals("applied", answer.json().get("outcome").asText(), answer.text());
        return answer;
    }

    @Test
    void roundRobinByDefaultGivesEveryCredentialTheSameShare() throws Exception {
        start(null, entry("a", a), entry("b", b), entry("c", c));
        askConcurrently("m", 300);
        assertEquals(List.of(100, 100, 100), counts());
    }

    @Test
    void weightedServesExactlyInProportionToTheWeights() throws Exception {
        start("  strategy: weighted\n", entry("a", a, "[m]", 64, 1, 1), entry("b", b, "[m]", 64, 3, 1));
        askConcurrently("m", 400);
        assertEquals(List.of(100, 300, 0), counts());
        JsonNode listed = new AdminApi(gateway, ADMIN).credential("b");
        assertEquals(3, listed.get("weight").asInt());
        assertEquals(1, listed.get("tier").asInt());
    }

    @Test
    void fillFirstSpendsTheFirstCredentialUntilItIsAtItsCapThenTheNext() throws Exception {
        start("  strategy: fill-first\n", entry("a", a, "[m]", 2, 1, 1), entry("b", b), entry("c", c));
        askInTurn("m", 50);
        assertEquals(List.of(50, 0, 0), counts());

        holdStreams(a, "m", 2);
        askInTurn("m", 30);
        assertEquals(List.of(52, 30, 0), counts(), "with the first at its cap, the second takes everything");

        releaseStreams();
        askInTurn("m", 10);
        assertEquals(List.of(62, 30, 0), counts(), "the first is used again as soon as it has room");
    }

    @Test
    void fillFirstMovesToTheNextCredentialWhileTheFirstCoolsAfterA429() throws Exception {
        start("  strategy: fill-first\n", entry("a", a), entry("b", b), entry("c", c));
        a.enqueue(Reply.rateLimited(60));
        askInTurn("m", 30);
        assertEquals(List.of(1, 30, 0), counts());
    }

    @Test
    void leastBusyKeepsAwayFromTheCredentialHoldingSlowStreams() throws Exception {
        // Only a serves "hold": the slow streams can go nowhere else, and count against a for every model.
        start("  strategy: least-busy\n", entry("a", a, "[m, hold]", 4, 1, 1), entry("b", b, "[m]", 4, 1, 1),
                entry("c", c, "[m]", 4, 1, 1));
        holdStreams(a, "hold", 3);
        askInTurn("m", 60);
        // Round-robin would give a 20 of the 60 (it still has a free slot); least-busy shares them between b and c.
        assertEquals(List.of(3, 30, 30), counts());

        releaseStreams();
        askInTurn("m", 30);
        assertEquals(List.of(13, 40, 40), counts(), "idle again, a takes its turn among equals");
    }

    @Test
    void aLaterTierServesWhileTheFirstFailsAndTrafficReturnsAsSoonAsOneRecovers() throws Exception {
        start("  strategy: priority\n", entry("backup", c, "[m]", 64, 1, 2), entry("a", a), entry("b", b));
        askInTurn("m", 20);
        assertEquals(List.of(10, 10, 0), counts(), "the backup, though first in the file, waits in tier 2");

        // a is rate limited for three seconds, b fails with 503 (cooling for the test gateway's minute): the one
        // request that met both failures was served by the backup, and so is every request while a still cools.
        a.enqueue(Reply.rateLimited(3));
        b.enqueue(Reply.openAiError(503, "server_error", "unavailable"));
        ask("m");
        assertEquals(List.of(11, 11, 1), counts());
        int whileCooling = 1;
        while (whileCooling < 10 && coolingMillis("a") > 1500) {
            ask("m");
            whileCooling++;
        }
        assertTrue(whileCooling > 1, "a stopped cooling before a second request");
        assertEquals(List.of(11, 11, whileCooling), counts());
        assertEquals(2, new AdminApi(gateway, ADMIN).credential("backup").get("tier").asInt());

        // a's cooldown ends by itself: the very next requests are a's, none the backup's.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (coolingMillis("a") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        askInTurn("m", 10);
        assertEquals(List.of(21, 11, whileCooling), counts());

        // b reset through the admin API: tier 1 is whole again and shares the traffic.
        assertEquals(200, new AdminApi(gateway, ADMIN).post("/admin/v1/credentials/b/reset").status());
        askInTurn("m", 10);
        assertEquals(List.of(26, 16, whileCooling), counts());
    }

    @Test
    void eachModelGroupHasItsOwnStrategy() throws Exception {
        start("""
                  strategy: round-robin
                  groups:
                    - models: ["f-*"]
                      strategy: fill-first
                """, entry("a", a, "[m, f-1]", 64, 1, 1), entry("b", b, "[m, f-1]", 64, 1, 1));
        askInTurn("f-1", 10);
        askInTurn("m", 10);
        assertEquals(List.of(15, 5, 0), counts());
    }

    @Test
    void aReloadThatChangesTheStrategyAndTheWeightsTakesEffect() throws Exception {
        start(null, entry("a", a), entry("b", b));
        askInTurn("m", 20);
        assertEquals(List.of(10, 10, 0), counts());

        Files.writeString(gateway.credentialsFile(), "credentials:\n" + entry("a", a) + entry("b", b)
                + "routing:\n  strategy: fill-first\n");
        reload();
        askInTurn("m", 20);
        assertEquals(List.of(30, 10, 0), counts());

        Files.writeString(gateway.credentialsFile(), "credentials:\n" + entry("a", a, "[m]", 64, 1, 1)
                + entry("b", b, "[m]", 64, 4, 1) + "routing:\n  strategy: weighted\n");
        JsonNode changed = reload().json();
        assertEquals("[\"b\"]", changed.at("/credentials/changed").toString(), changed.toString());
        askConcurrently("m", 100);
        assertEquals(List.of(50, 90, 0), counts());
        assertEquals(4, new AdminApi(gateway, ADMIN).credential("b").get("weight").asInt());
    }

    @Test
    void aRoutingMistakeRefusesTheReloadAndKeepsTheStrategyInForce() throws Exception {
        start("  strategy: fill-first\n", entry("a", a), entry("b", b));
        Files.writeString(gateway.credentialsFile(), "credentials:\n" + entry("a", a) + entry("b", b)
                + "routing:\n  strategy: fastest\n");
        AdminApi.Answer refused = new AdminApi(gateway, ADMIN).post("/admin/v1/reload");
        assertTrue(refused.text().contains("unknown strategy 'fastest'"), refused.text());
        askInTurn("m", 10);
        assertEquals(List.of(10, 0, 0), counts());
    }
}
