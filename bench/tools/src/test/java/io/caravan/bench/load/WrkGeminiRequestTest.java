package io.caravan.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wrk with bench/wrk/post.lua sends a Gemini request as Gemini clients do: model in the path, x-goog-api-key. */
class WrkGeminiRequestTest {
    private static final Path SCRIPT = Path.of("..", "wrk", "post.lua");
    private static final byte[] ANSWER = "{\"candidates\":[]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    private LoopbackServer server;
    private final AtomicReference<String> path = new AtomicReference<>();
    private final AtomicReference<String> key = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<String> contentType = new AtomicReference<>();
    private final AtomicReference<String> body = new AtomicReference<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackServer("/v1beta/models/", ANSWER, exchange -> {
            path.set(exchange.getRequestURI().toString());
            key.set(exchange.getRequestHeaders().getFirst("x-goog-api-key"));
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            try {
                body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                body.set("unreadable: " + e);
            }
        });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void theModelIsInThePathTheKeyInXGoogApiKeyAndTheBodyHasNoModel() throws Exception {
        assumeTrue(LoopbackServer.wrkInstalled(), "wrk is not installed (bench/run.sh installs it)");
        Route route = new Route(new Endpoint("test", server.port(), "client-key", List::of),
                Dialect.GEMINI, "bench-gemini");
        Wrk wrk = new Wrk(SCRIPT.toAbsolutePath(), work, Files.createFile(work.resolve("pids")));

        WrkResult result = wrk.run(route, 1, 1);

        assertTrue(result.requests() > 0, "wrk got no answer");
        assertEquals("/v1beta/models/bench-gemini:generateContent", path.get());
        assertEquals("client-key", key.get());
        assertNull(authorization.get());
        assertEquals("application/json", contentType.get());
        assertEquals(Set.of("contents", "generationConfig"), new JsonObject(body.get()).fieldNames());
    }

    @Test
    void theHeaderLinesAreWhatPostLuaReads() {
        assertEquals("Content-Type: application/json\nx-goog-api-key: k\n",
                Wrk.headerLines(Dialect.GEMINI.headers("k")));
    }
}
