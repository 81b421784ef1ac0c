package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.pool.CredentialPool;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The credentials file rewritten while a few hundred requests (streams and not) are in flight on slow upstreams:
 * one credential removed, one added, one unchanged while it cools down. No request fails, the removed credential
 * gets no request after the swap and drains away, the cooling one keeps its cooldown, the added one serves.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HotReloadUnderLoadTest {

    private static final String ADMIN = "caravan-test-admin-key-for-load-0123456789";
    private static final int BEFORE_SWAP = 150;
    private static final int AFTER_SWAP = 150;
    private static final Duration SLOW = Duration.ofMillis(700);
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final FakeUpstream removed = FakeUpstream.openAi();
    private final FakeUpstream cooling = FakeUpstream.openAi();
    private final FakeUpstream kept = FakeUpstream.openAi();
    private final FakeUpstream added = FakeUpstream.openAi();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, removed, cooling, kept, added);
    }

    private static String entry(String name, FakeUpstream upstream) {
        return ConfigReloadEndToEndTest.credential(name, upstream, "[m]", upstream.apiKey()) + "    max-concurrent: 100\n";
    }

    @Test
    void aReloadUnderLoadFailsNoRequestAndDrainsTheRemovedCredential() throws Exception {
        for (FakeUpstream slow : List.of(removed, kept, added)) {
            slow.setDefault(Reply.text("one two three four five six").paced(Duration.ofMillis(60)).delayed(SLOW));
        }
        gateway = TestGateway.builder()
                .rawCredential(entry("removed", removed)).rawCredential(entry("cooling", cooling))
                .rawCredential(entry("kept", kept))
                .set("caravan.admin-keys", ADMIN).set("caravan.reload.interval-ms", "0").start();
        AdminApi admin = new AdminApi(gateway, ADMIN);
        RawClient raw = new RawClient(gateway);

        // "cooling" is rate limited for two minutes: the others out of the way for that one request.
        admin.post("/admin/v1/credentials/removed/disable");
        admin.post("/admin/v1/credentials/kept/disable");
        cooling.enqueue(Reply.rateLimited(120));
        assertEquals(429, raw.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)).statusCode());
        admin.post("/admin/v1/credentials/removed/enable");
        admin.post("/admin/v1/credentials/kept/enable");
        JsonNode coolingBefore = admin.credential("cooling");
        assertEquals("cooling", coolingBefore.get("state").asText());

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<Boolean> streamed = new ArrayList<>();
        send(raw, answers, streamed, BEFORE_SWAP);
        awaitInFlight(gateway.pool(), "removed");

        Files.writeString(gateway.credentialsFile(),
                "credentials:\n" + entry("cooling", cooling) + entry("kept", kept) + entry("added", added));
        AdminApi.Answer reload = admin.post("/admin/v1/reload");
        Instant swapped = Instant.now();
        assertEquals(200, reload.status(), reload.text());
        assertEquals("[\"added\"]", reload.json().at("/credentials/added").toString());
        assertEquals("[\"removed\"]", reload.json().at("/credentials/removed").toString());
        assertEquals("[]", reload.json().at("/credentials/changed").toString());

        JsonNode draining = admin.listed("removed");
        assertNotNull(draining, "requests were in flight on it at the swap, so it drains");
        assertEquals("draining", draining.get("state").asText());
        long leasedBeforeSwap = draining.get("requests").asLong();

        send(raw, answers, streamed, AFTER_SWAP);
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "request " + i + ": " + answer.body());
            if (streamed.get(i)) {
                assertTrue(answer.body().contains("data: [DONE]"), "stream " + i + " ended: " + answer.body());
            } else {
                assertTrue(answer.body().contains("one two three"), "answer " + i + ": " + answer.body());
            }
        }

        List<RecordedRequest> toRemoved = removed.requests();
        // A request leased before the swap may reach the upstream after it (it waited for a connection there), but
        // every request that reached it was leased before the swap.
        long arrivedBefore = toRemoved.stream().filter(request -> !request.receivedAt().isAfter(swapped)).count();
        long arrivedAfter = toRemoved.size() - arrivedBefore;
        assertTrue(arrivedAfter <= leasedBeforeSwap - arrivedBefore, arrivedAfter + " arrived after the swap, "
                + arrivedBefore + " before, of " + leasedBeforeSwap + " leased before it");
        assertTrue(added.requestCount() > 0, "the added credential serves");
        assertEquals(1, cooling.requestCount(), "the cooling credential got nothing more");
        JsonNode coolingAfter = admin.credential("cooling");
        assertEquals("cooling", coolingAfter.get("state").asText());
        assertEquals(coolingBefore.get("cooling_until"), coolingAfter.get("cooling_until"), "the same cooldown");
        assertEquals(coolingBefore.get("requests"), coolingAfter.get("requests"));
        assertNull(awaitGone(admin, "removed"), "the drained credential disappears");
        gateway.awaitLeasesBalanced(Duration.ofSeconds(10));
        assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount(), "no lease leaked");
    }

    private static void send(RawClient raw, List<CompletableFuture<HttpResponse<String>>> answers,
            List<Boolean> streamed, int count) {
        for (int i = 0; i < count; i++) {
            boolean stream = i % 2 == 0;
            answers.add(raw.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "request " + i, stream)));
            streamed.add(stream);
        }
    }

    private static void awaitInFlight(CredentialPool pool, String name) throws InterruptedException {
        Instant deadline = Instant.now().plus(BOUND);
        while (pool.status(name).inFlight() < 10 && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
        assertTrue(pool.status(name).inFlight() >= 10, "requests in flight on " + name + " before the swap");
    }

    private static JsonNode awaitGone(AdminApi admin, String name) throws Exception {
        Instant deadline = Instant.now().plus(BOUND);
        JsonNode listed = admin.listed(name);
        while (listed != null && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            listed = admin.listed(name);
        }
        return listed;
    }
}
