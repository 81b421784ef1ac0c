package io.caravan.upstream;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.Credential;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sends requests to upstream credentials with Vert.x's non-blocking HTTP client, so that a streamed answer costs no
 * thread while it flows: bytes go from the upstream socket to the caller's on the event loop.
 */
public class UpstreamClient {

    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    private final PoolOptions poolOptions;
    /**
     * One client (and connection pool) per event loop, kept in the data of the caller's context under this key. A
     * Vert.x pool hands any of its connections to any caller, and a connection lives on the event loop that opened
     * it, so with one shared pool most requests would hop between event loops twice; with a pool per event loop a
     * request, its upstream connection and its caller's connection stay on one thread. Callers are served on the
     * contexts of the listeners, one per event loop; a request's own (duplicated) context and a worker serving it
     * share the data of that context, so they find the same client.
     */
    private final Object clientKey = new Object();
    /** For a call from outside Vert.x (no context, so no event loop of its own): one client, created on first use. */
    private HttpClient contextless;
    private final GatewaySettings settings;
    /** Until the response head (a stream's: its first event); nothing waits past the request deadline either. */
    private final Duration firstByteTimeout;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    public UpstreamClient(Vertx vertx, GatewaySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.firstByteTimeout = settings.firstByteTimeout().compareTo(settings.requestDeadline()) < 0
                ? settings.firstByteTimeout() : settings.requestDeadline();
        this.clientOptions = new HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setVerifyHost(true)
                .setDecompressionSupported(false)
                .setName("caravan-upstream");
        this.poolOptions = new PoolOptions().setHttp1MaxSize(settings.maxConnectionsPerHost()).setMaxWaitQueueSize(-1);
    }

    /** The client of the calling event loop (the caller's connection's, also on a worker thread serving it). */
    private HttpClient client() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return contextlessClient();
        }
        HttpClient client = context.get(clientKey);
        if (client == null) {
            synchronized (this) {
                client = context.get(clientKey);
                if (client == null) {
                    client = vertx.createHttpClient(clientOptions, poolOptions);
                    context.put(clientKey, client);
                }
            }
        }
        return client;
    }

    private synchronized HttpClient contextlessClient() {
        if (contextless == null) {
            contextless = vertx.createHttpClient(clientOptions, poolOptions);
        }
        return contextless;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Starts one attempt: the request (already in the upstream's dialect, with its headers) sent to its credential.
     * A 2xx answer is handed to {@code onSuccess} on the event loop, which completes the attempt; anything else
     * fails it with {@link UpstreamFailure} (or {@link CallerGoneException} once the caller left).
     *
     * @param beforeStart told of the attempt before anything is sent, so that a caller who has left, or leaves
     *     later, can abort it
     */
    public <T> UpstreamAttempt<T> send(UpstreamRequest request, UpstreamAttempt.SuccessHandler<T> onSuccess,
            Consumer<UpstreamAttempt<?>> beforeStart) {
        Credential credential = request.credential();
        Target target = targets.computeIfAbsent(credential.name(), n -> Target.of(credential.spec().baseUrl()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host)
                .setPort(target.port)
                .setSsl(target.ssl)
                .setURI(target.basePath + request.path())
                .setHeaders(request.headers());
        UpstreamAttempt<T> attempt = new UpstreamAttempt<>(vertx, credential.name(), firstByteTimeout,
                request.stream() ? null : answerTimeout(request), settings.stallThreshold(), onSuccess);
        beforeStart.accept(attempt);
        attempt.start(client(), options, request.body());
        return attempt;
    }

    /** The whole-answer time-out, shortened to what is left of the request's deadline (at least a millisecond). */
    private Duration answerTimeout(UpstreamRequest request) {
        Duration left = settings.requestDeadline().minusNanos(System.nanoTime() - request.deadlineStartNanos());
        return left.compareTo(settings.answerTimeout()) < 0 ? left : settings.answerTimeout();
    }

    /** A credential's base URL split once into what each request needs. */
    private record Target(String host, int port, boolean ssl, String basePath) {

        static Target of(String baseUrl) {
            URI uri = URI.create(baseUrl);
            boolean ssl = "https".equals(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return new Target(uri.getHost(), port, ssl, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        }
    }
}
