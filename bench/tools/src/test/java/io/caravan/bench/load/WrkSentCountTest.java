package io.caravan.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private HttpServer server;
    private ExecutorService threads;
    private final AtomicLong received = new AtomicLong();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            received.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(ANSWER);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void countsEveryRequestWrittenIncludingThoseInFlightAtTheEnd() throws Exception {
        assumeTrue(wrkInstalled(), "wrk is not installed (bench/run.sh installs it)");
        Route route = new Route(new Endpoint("test", server.getAddress().getPort(), "k", List::of), Dialect.OPENAI,
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
        assumeTrue(wrkInstalled(), "wrk is not installed (bench/run.sh installs it)");
        Route route = new Route(new Endpoint("test", server.getAddress().getPort(), "k", List::of), Dialect.OPENAI,
                "m");
        Wrk wrk = new Wrk(SCRIPT.toAbsolutePath(), work, Files.createFile(work.resolve("pids")));

        WrkResult result = wrk.run(route, 2, 1);

        assertTrue(result.requests() > 0, "wrk got no answer");
        assertEquals(-1, result.sent());
    }

    private static boolean wrkInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        }
    }
}
