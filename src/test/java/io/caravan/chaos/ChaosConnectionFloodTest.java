package io.caravan.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.chaos.ConnectionFlood.Connection;
import io.caravan.chaos.ConnectionFlood.Kind;
import io.caravan.chaos.RawExchange.End;
import io.caravan.chaos.RawExchange.Response;
import io.caravan.dialects.Dialects;
import io.caravan.e2e.TestGateway;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Floods of connections that send nothing useful (idle, idle after a request, an endless request head, a body one
 * byte at a time) against lowered {@code caravan.listener.*} time-outs and connection cap: each is closed by the
 * gateway within its time-out (plus a margin for a loaded machine), the cap holds, and {@code /healthz} and a real
 * chat request keep answering throughout.
 */
class ChaosConnectionFloodTest {

    private static final int IDLE_TIMEOUT_MS = 2_000;
    private static final int HEADER_TIMEOUT_MS = 1_500;
    private static final int BODY_TIMEOUT_MS = 2_000;
    private static final int MAX_CONNECTIONS = 400;
    private static final long MARGIN_MS = 2_500;
    private static final Map<Kind, Integer> FLOOD = new EnumMap<>(Map.of(
            Kind.IDLE_NEW, 200, Kind.IDLE_AFTER_REQUEST, 100, Kind.SLOW_HEADERS, 150, Kind.SLOW_BODY, 150));

    @Test
    void floodsOfUselessConnectionsAreClosedInTimeAndPayingCallersGetThrough() throws Exception {
        try (ChaosUpstream upstream = ChaosUpstream.openAi("openai-flood", Fault.HEALTHY, 7);
                TestGateway gateway = TestGateway.builder()
                        .rawCredential(upstream.credentialYaml("[gpt-chaos]"))
                        .set("caravan.listener.idle-timeout-ms", Integer.toString(IDLE_TIMEOUT_MS))
                        .set("caravan.listener.header-timeout-ms", Integer.toString(HEADER_TIMEOUT_MS))
                        .set("caravan.listener.body-timeout-ms", Integer.toString(BODY_TIMEOUT_MS))
                        .set("caravan.listener.max-connections", Integer.toString(MAX_CONNECTIONS))
                        .start();
                ConnectionFlood flood = new ConnectionFlood(gateway.port())) {
            Probes probes = new Probes(gateway.port());
            Thread prober = new Thread(probes, "chaos-flood-probes");
            prober.setDaemon(true);
            prober.start();

            long floodStart = System.nanoTime();
            for (Map.Entry<Kind, Integer> wave : FLOOD.entrySet()) {
                flood.open(wave.getKey(), wave.getValue());
                flood.drive(50);
            }
            long openingMillis = (System.nanoTime() - floodStart) / 1_000_000;
            flood.drive(500);
            int openAfterFlood = flood.openCount();
            Map<Kind, Integer> openByKindAfterFlood = flood.openByKind();

            long longestTimeout = Math.max(IDLE_TIMEOUT_MS, Math.max(HEADER_TIMEOUT_MS, BODY_TIMEOUT_MS));
            flood.drive(longestTimeout + MARGIN_MS);
            Map<Kind, Integer> stillOpen = flood.openByKind();
            probes.stop();
            prober.join(10_000);

            Response afterwards = RawExchange.send(gateway.port(), ChaosCalls.completion(gateway.port(), Dialects.OPENAI,
                    "gpt-chaos", false, false, "chaos-2"), 10_000, 1 << 20, false);

            List<String> violations = new ArrayList<>();
            if (!stillOpen.isEmpty()) {
                violations.add("connections still open " + (longestTimeout + MARGIN_MS) + " ms after the flood: "
                        + stillOpen + " of " + FLOOD);
            }
            for (Connection c : flood.connections()) {
                if (!c.open() && c.millisToClose() > timeoutFor(c.kind) + MARGIN_MS) {
                    violations.add(c.kind + " connection closed " + c.millisToClose() + " ms after it went quiet (time-out "
                            + timeoutFor(c.kind) + " ms, margin " + MARGIN_MS + " ms; " + c.closedBy + ")");
                    break;
                }
            }
            if (openAfterFlood > MAX_CONNECTIONS + 10) {
                violations.add(openAfterFlood + " flood connections open at once, over the cap of " + MAX_CONNECTIONS
                        + ": " + openByKindAfterFlood);
            }
            if (probes.healthFailed.get() > 0 || probes.healthOk.get() == 0) {
                violations.add("/healthz failed " + probes.healthFailed.get() + " times during the flood (ok "
                        + probes.healthOk.get() + "); first: " + probes.firstFailure);
            }
            if (probes.chatFailed.get() > 0 || probes.chatOk.get() == 0) {
                violations.add("a chat request failed " + probes.chatFailed.get() + " times during the flood (ok "
                        + probes.chatOk.get() + "); first: " + probes.firstFailure);
            }
            if (afterwards.status() != 200) {
                violations.add("a chat request after the flood: " + afterwards.describe());
            }
            String summary = "CHAOS CONNECTION FLOOD " + FLOOD + " opened in " + openingMillis + " ms; open 0.5 s later: "
                    + openAfterFlood + " " + openByKindAfterFlood + "; open after the time-outs: " + stillOpen
                    + "; closes (ms after going quiet, max by kind): " + maxCloseByKind(flood) + "; healthz "
                    + probes.healthOk.get() + " ok / " + probes.healthFailed.get() + " failed; chat " + probes.chatOk.get()
                    + " ok / " + probes.chatFailed.get() + " failed";
            System.out.println(summary);
            assertTrue(violations.isEmpty(), violations.size() + " properties of the connection flood failed:\n- "
                    + String.join("\n- ", violations) + "\n" + summary);
        }
    }

    /** The time-out that must end a connection of this kind (a silent new one may meet either of two). */
    private static long timeoutFor(Kind kind) {
        return switch (kind) {
            case IDLE_NEW -> Math.max(IDLE_TIMEOUT_MS, HEADER_TIMEOUT_MS);
            case IDLE_AFTER_REQUEST -> IDLE_TIMEOUT_MS;
            case SLOW_HEADERS -> HEADER_TIMEOUT_MS;
            case SLOW_BODY -> BODY_TIMEOUT_MS;
        };
    }

    private static Map<Kind, Long> maxCloseByKind(ConnectionFlood flood) {
        Map<Kind, Long> max = new EnumMap<>(Kind.class);
        for (Connection c : flood.connections()) {
            if (!c.open()) {
                max.merge(c.kind, c.millisToClose(), Math::max);
            }
        }
        return max;
    }

    /** {@code /healthz} every 100 ms (2 s bound) and a chat request every 300 ms (5 s bound), each on a new connection. */
    private static final class Probes implements Runnable {
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger healthOk = new AtomicInteger();
        final AtomicInteger healthFailed = new AtomicInteger();
        final AtomicInteger chatOk = new AtomicInteger();
        final AtomicInteger chatFailed = new AtomicInteger();
        volatile String firstFailure;

        Probes(int port) {
            this.port = port;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            int round = 0;
            while (running.get()) {
                Response health = RawExchange.send(port, ChaosCalls.healthz(port), 2_000, 64 * 1024, false);
                count(health.status() == 200 && health.end() == End.COMPLETE, healthOk, healthFailed, "healthz", health);
                if (round++ % 3 == 0) {
                    String nonce = "chaos-" + (100 + round);
                    Response chat = RawExchange.send(port, ChaosCalls.completion(port, Dialects.OPENAI, "gpt-chaos",
                            round % 2 == 0, false, nonce), 5_000, 1 << 20, false);
                    boolean answered = CallerView.judge(Dialects.OPENAI, round % 2 == 0, ProviderWire.answerText(nonce),
                            chat).outcome() == CallerView.Outcome.ANSWERED;
                    count(answered, chatOk, chatFailed, "chat", chat);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void count(boolean ok, AtomicInteger okCount, AtomicInteger failedCount, String what, Response r) {
            if (ok) {
                okCount.incrementAndGet();
            } else if (failedCount.getAndIncrement() == 0 && firstFailure == null) {
                firstFailure = what + ": " + r.describe();
            }
        }
    }
}
