package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the usage database holds after the gateway process ends: everything after a SIGTERM; after a {@code kill -9}
 * everything but what was answered within the last flush interval, in a database that is never corrupt. Read back
 * as an operator would, through a restarted gateway's admin API, and checked with SQLite's own integrity check.
 */
class UsageDurabilityProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = UsageMeteringEndToEndTest.ADMIN_KEY;
    private static final long FLUSH_INTERVAL_MS = 200;
    /** Beyond the interval itself: a flush under way when the process dies has not committed yet. */
    private static final long FLUSH_SLACK_MS = 300;

    @TempDir
    Path state;
    private FakeUpstream upstream;
    private Path credentials;

    @BeforeEach
    void upstream() throws Exception {
        upstream = FakeUpstream.openAi();
        credentials = state.resolve("credentials.yaml");
        Files.writeString(credentials, "credentials:\n  - name: openai\n    kind: openai\n    base-url: " + upstream.baseUrl()
                + "\n    api-key: " + upstream.apiKey() + "\n    models: [m]\n");
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private GatewayProcess start() throws Exception {
        return GatewayProcess.start("caravan.credentials-file=" + credentials,
                "caravan.client-keys=" + TestGateway.CLIENT_KEY, "caravan.admin-keys=" + ADMIN, "caravan.demo=off",
                "caravan.store.url=jdbc:sqlite:" + state.resolve("caravan.db"),
                "caravan.store.flush-interval-ms=" + FLUSH_INTERVAL_MS, "caravan.shutdown.drain-ms=1000");
    }

    @Test
    void aSigtermWritesEveryRecordBeforeTheProcessExits() throws Exception {
        int sent = 40;
        try (GatewayProcess gateway = start()) {
            RawClient client = gateway.client();
            for (int i = 0; i < sent; i++) {
                assertEquals(200, client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "record " + i, false)).statusCode());
            }
            // At once: most of these are still waiting for their flush.
            assertTrue(gateway.terminate(), "the process exited");
        }
        assertIntact();
        assertEquals(sent, recordedRequests());
    }

    @Test
    void afterKillMinus9OnlyTheLastFlushIntervalIsLostAndTheDatabaseIsIntact() throws Exception {
        List<Long> answeredAtMillis = new ArrayList<>();
        long killedAtMillis;
        try (GatewayProcess gateway = start()) {
            RawClient client = gateway.client();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                // Bounded: at most 2,000 requests, and it stops at the kill.
                for (int i = 0; i < 2000 && !stop.get(); i++) {
                    try {
                        HttpResponse<String> answer = client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "record " + i, false));
                        if (answer.statusCode() == 200) {
                            synchronized (answeredAtMillis) {
                                answeredAtMillis.add(System.currentTimeMillis());
                            }
                        }
                    } catch (Exception killed) {
                        return;
                    }
                }
            });
            // Let records pile up over several flushes, then kill in the middle of the load.
            while (answeredSoFar(answeredAtMillis) < 150 && !load.isDone()) {
                Thread.sleep(20);
            }
            killedAtMillis = System.currentTimeMillis();
            gateway.kill();
            stop.set(true);
            load.get(30, TimeUnit.SECONDS);
        }
        long mustSurvive;
        int answered;
        synchronized (answeredAtMillis) {
            answered = answeredAtMillis.size();
            mustSurvive = answeredAtMillis.stream()
                    .filter(at -> at < killedAtMillis - FLUSH_INTERVAL_MS - FLUSH_SLACK_MS).count();
        }
        assertIntact();
        long recorded = recordedRequests();
        // The figures, for the record: how much of the load the kill took.
        System.out.printf("kill -9: %d answered, %d of them more than %d ms before the kill, %d recorded%n", answered,
                mustSurvive, FLUSH_INTERVAL_MS + FLUSH_SLACK_MS, recorded);
        assertTrue(mustSurvive > 0, "the load ran long enough before the kill to prove anything: " + answered);
        assertTrue(recorded >= mustSurvive, "recorded " + recorded + " of the " + mustSurvive
                + " answered more than a flush interval before the kill (" + answered + " answered in all)");
        assertTrue(recorded <= answered + 1, "recorded " + recorded + ", answered " + answered);
    }

    private static int answeredSoFar(List<Long> answered) {
        synchronized (answered) {
            return answered.size();
        }
    }

    /** The requests a restarted gateway's admin API reports for today. */
    private long recordedRequests() throws Exception {
        try (GatewayProcess restarted = start()) {
            HttpResponse<String> usage = restarted.client().get("/admin/v1/usage?group_by=client",
                    "authorization", "Bearer " + ADMIN);
            assertEquals(200, usage.statusCode(), usage.body());
            long requests = 0;
            for (JsonNode row : JSON.readTree(usage.body()).get("data")) {
                requests += row.get("requests").asLong();
            }
            restarted.terminate();
            return requests;
        }
    }

    private void assertIntact() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("caravan.db"));
                ResultSet check = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertTrue(check.next());
            assertEquals("ok", check.getString(1));
        }
    }
}
