package io.caravan.bench.sse;

import io.caravan.bench.target.Route;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The SSE load and timing client: opens N concurrent streams along a route with their starts spread evenly over
 * a window, and times every event's arrival. Streams are shared out over the client's event loops.
 */
public final class SseClient implements AutoCloseable {
    private final Vertx vertx;
    private final List<Context> contexts = new ArrayList<>();
    private final int maxConnections;

    public SseClient(int eventLoops, int maxConnections) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops)
                .setBlockedThreadCheckInterval(60_000));
        for (int i = 0; i < eventLoops; i++) {
            contexts.add(deployContext(vertx)); // each deployment gets the next event loop
        }
        this.maxConnections = maxConnections;
    }

    /** The context of an empty verticle: a handle on one event loop to run streams on. */
    private static Context deployContext(Vertx vertx) {
        CompletableFuture<Context> ready = new CompletableFuture<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                ready.complete(context);
            }
        });
        return ready.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A connection pool to reuse over several waves along one endpoint (as a real client would). */
    public HttpClient newPool() {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(120)
                .setTcpNoDelay(true)
                .setConnectTimeout(10_000);
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    /**
     * Runs one wave: n streams, starts spread over spreadMillis, each given timeoutMillis to finish. Returns when
     * all streams have finished or timed out.
     */
    public WaveResult wave(HttpClient pool, Route route, int n, long spreadMillis, long timeoutMillis)
            throws InterruptedException {
        List<StreamProbe> probes = new ArrayList<>(n);
        CountDownLatch done = new CountDownLatch(n);
        String body = route.body(true);
        long waveStart = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            StreamProbe probe = new StreamProbe(route.dialect());
            probes.add(probe);
            long startAt = waveStart + spreadMillis * 1_000_000L * i / n;
            contexts.get(i % contexts.size()).runOnContext(v -> {
                long delayMillis = Math.max(1, (startAt - System.nanoTime()) / 1_000_000L);
                vertx.setTimer(delayMillis, t -> open(pool, route, body, probe, timeoutMillis, done));
            });
        }
        boolean all = done.await(spreadMillis + timeoutMillis + 10_000, TimeUnit.MILLISECONDS);
        double wall = (System.nanoTime() - waveStart) / 1e9;
        if (!all) {
            Thread.sleep(200); // late finishers have had their timeout reset; let them settle before reading
        }
        return WaveResult.of(probes, wall);
    }

    private void open(HttpClient pool, Route route, String body, StreamProbe probe, long timeoutMillis,
                      CountDownLatch done) {
        Runnable finish = new Runnable() {
            private boolean counted;

            @Override
            public void run() {
                if (!counted) {
                    counted = true;
                    done.countDown();
                }
            }
        };
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(route.endpoint().port())
                .setURI(route.path(true))
                .putHeader("Accept", "text/event-stream");
        route.headers().forEach(options::putHeader);
        probe.started(System.nanoTime());
        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMillis, t -> {
            probe.fail("timeout after " + timeoutMillis + " ms");
            if (sent[0] != null) {
                sent[0].reset(); // stop the stream: its connection is closed, not reused
            }
            finish.run();
        });
        Runnable stopTimer = () -> vertx.cancelTimer(timer);
        pool.request(options).onFailure(e -> {
            probe.fail("request: " + e);
            stopTimer.run();
            finish.run();
        }).onSuccess(request -> {
            sent[0] = request;
            send(request, body, probe, stopTimer, finish);
        });
    }

    private static void send(HttpClientRequest request, String body, StreamProbe probe, Runnable stopTimer,
                             Runnable finish) {
        request.send(Buffer.buffer(body)).onFailure(e -> {
            probe.fail("send: " + e);
            stopTimer.run();
            finish.run();
        }).onSuccess(response -> {
            probe.status(response.statusCode());
            response.handler(buffer -> {
                if (!probe.finished()) {
                    probe.data(buffer, System.nanoTime());
                }
            });
            response.exceptionHandler(e -> {
                probe.fail("response: " + e);
                stopTimer.run();
                finish.run();
            });
            response.endHandler(v -> {
                probe.ended();
                stopTimer.run();
                finish.run();
            });
        });
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
