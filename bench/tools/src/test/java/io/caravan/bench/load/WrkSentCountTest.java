package io.caravan.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/wrk/post.lua's count of written requests against a server that counts what it receives: the count the
 * metering scenario compares with the gateway's database must be every request that reached the server.
 */
class WrkSentCountTest {
    private static final Path SCRIPT = Path.of("..", "wrk", "post.lua");
    private static final byte[] ANSWER = "{\"object\":\"chat.completion\",\"choices\":[]}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    private LoopbackServer server;
    private final AtomicLong received = new AtomicLong();

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackServer("/v1/chat/completions", ANSWER, exchange -> received.incrementAndGet());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void countsEveryRequestWrittenIncludingThoseInFlightAtTheEnd() throws Exception {
        assumeTrue(LoopbackServer.wrkInstalled(), "wrk is not installed (bench/run.sh installs it)");
        Route route = new Route(new Endpoint("test", server.port(), "k", List::of), Dialect.OPENAI,
                "m");
        Wrk wrk = new Wrk(SCRIPT.toAbsolutePath(), work, Files.createFile(work.resolve("pids")));

        WrkResult result = wrk.run(route, 8, 1, true);

        assertTrue(result.requests() > 0, "wrk got no answer");
        assertTrue(result.sent() >= result.requests(), result.sent() + " sent < " + result.requests() + " answered");
        // requests written just before wrk stopped reach the server a moment later
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < result.sent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(result.sent(), received.get());
    }

    @Test
    void aRunThatDoesNotCountSaysSo() throws Exception {
        assumeTrue(LoopbackServer.wrkInstalled(), "wrk is not installed (bench/run.sh installs it)");
        Route route = new Route(new Endpoint("test", server.port(), "k", List::of), Dialect.OPENAI,
                "m");
        Wrk wrk = new Wrk(SCRIPT.toAbsolutePath(), work, Files.createFile(work.resolve("pids")));

        WrkResult result = wrk.run(route, 2, 1);

        assertTrue(result.requests() > 0, "wrk got no answer");
        assertEquals(-1, result.sent());
    }
}
