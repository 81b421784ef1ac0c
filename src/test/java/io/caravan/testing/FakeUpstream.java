package io.caravan.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scriptable stand-in for the OpenAI Chat Completions or Anthropic Messages API, listening on
 * {@code 127.0.0.1} on an ephemeral port with its own single-threaded Vert.x instance.
 *
 * <p>Every request is recorded, then routed, authenticated and validated the way the real provider does it (a
 * failure answers the provider's error and does not consume a scripted reply). A valid request is answered with
 * the oldest {@link #enqueue queued} reply that fits its endpoint, else with the {@link #setDefault default}
 * ({@code Reply.text("Hello from <name>")}). {@code GET /v1/models} always lists {@link #modelIds()};
 * {@code count_tokens} without a scripted reply answers {@link #estimateTokens(String)} of the request body.
 */
public final class FakeUpstream implements AutoCloseable {

    private static final Duration VERTX_TIMEOUT = Duration.ofSeconds(10);

    private final Wire wire;
    private final String apiKey;
    private final Vertx vertx;
    private final HttpServer server;
    private final ReplyQueue replies = new ReplyQueue();
    private final ResponsePlanner planner;
    private final RequestJournal journal = new RequestJournal();
    private final ResponseWriter writer;
    private final ConnectionTracker connections = new ConnectionTracker();
    private final AtomicBoolean closing = new AtomicBoolean();

    private FakeUpstream(Wire wire, String apiKey) {
        this.wire = wire;
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.planner = new ResponsePlanner(wire);
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        this.writer = new ResponseWriter(vertx, journal, closing::get);
        HttpServer created = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(true));
        created.connectionHandler(this::trackConnection);
        created.requestHandler(this::handle);
        try {
            this.server = await(created.listen());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        this.replies.setDefault(greeting());
    }

    // ---- construction ----------------------------------------------------------------------------------

    /** A fake OpenAI upstream with a random key ({@link #apiKey()}), already listening. */
    public static FakeUpstream openAi() {
        return openAi(randomKey());
    }

    /** A fake OpenAI upstream that expects {@code Authorization: Bearer <apiKey>}, already listening. */
    public static FakeUpstream openAi(String apiKey) {
        return new FakeUpstream(new OpenAiWire(), apiKey);
    }

    /**
     * A fake of an OpenAI account's Responses API ({@code POST /v1/responses}) with a random key, already listening:
     * what a credential with {@code apis: [chat, responses]} is sent Responses requests at.
     */
    public static FakeUpstream openAiResponses() {
        return new FakeUpstream(new OpenAiResponsesWire(), randomKey());
    }

    /** A fake Anthropic upstream with a random key ({@link #apiKey()}), already listening. */
    public static FakeUpstream anthropic() {
        return anthropic(randomKey());
    }

    /** A fake Anthropic upstream that expects {@code x-api-key: <apiKey>}, already listening. */
    public static FakeUpstream anthropic(String apiKey) {
        return new FakeUpstream(new AnthropicWire(), apiKey);
    }

    /**
     * A fake of the Gemini API of Google AI Studio with a random key ({@link #apiKey()}), already listening: it
     * expects the key as {@code x-goog-api-key} (or {@code ?key=}) and validates requests as Google does.
     */
    public static FakeUpstream gemini() {
        return gemini(Ids.random("AIzaSy", 33));
    }

    /** A fake Gemini upstream that expects {@code x-goog-api-key: <apiKey>}, already listening. */
    public static FakeUpstream gemini(String apiKey) {
        return new FakeUpstream(new GeminiWire(), apiKey);
    }

    private static String randomKey() {
        return Ids.random("sk-fake-", 24);
    }

    // ---- addressing ------------------------------------------------------------------------------------

    /** OpenAI: {@code http://127.0.0.1:PORT/v1}; Anthropic and Gemini: {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return wire.baseUrl("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.actualPort();
    }

    /** The key the fake accepts. */
    public String apiKey() {
        return apiKey;
    }

    /** {@code openai:PORT} or {@code anthropic:PORT}; the default reply says "Hello from" this name. */
    public String name() {
        return wire.id() + ":" + port();
    }

    /** The model ids {@code GET /v1/models} lists. */
    public List<String> modelIds() {
        return wire.modelIds();
    }

    /** The deterministic token count the fake reports for a request body (prompt usage and count_tokens). */
    public static int estimateTokens(String body) {
        return ReplyContext.estimateTokens(body);
    }

    // ---- scripting -------------------------------------------------------------------------------------

    /** Queues a reply for a later request (oldest first). Returns this fake for chaining. */
    public FakeUpstream enqueue(Reply reply) {
        replies.enqueue(reply);
        return this;
    }

    /** The reply used when nothing fitting is queued. */
    public FakeUpstream setDefault(Reply reply) {
        replies.setDefault(reply);
        return this;
    }

    /**
     * Drops the queued replies not yet used: a test that failed before its requests were made must not leave them
     * to answer the next test's.
     */
    public void discardPendingReplies() {
        replies.clear();
    }

    /** Queued replies not yet used. */
    public int pendingReplies() {
        return replies.pending();
    }

    // ---- observation -----------------------------------------------------------------------------------

    /** Every request received so far, oldest first (a snapshot). */
    public List<RecordedRequest> requests() {
        return journal.requests();
    }

    public int requestCount() {
        return journal.requestCount();
    }

    /** The most recent request; fails the test when there was none. */
    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = journal.requests();
        if (all.isEmpty()) {
            throw new AssertionError(name() + " received no request");
        }
        return all.get(all.size() - 1);
    }

    /** Waits until at least {@code n} requests have arrived and returns them; fails the test on timeout. */
    public List<RecordedRequest> awaitRequests(int n, Duration timeout) {
        return journal.awaitRequests(n, timeout);
    }

    /** How many replies the caller cut off by closing or resetting the connection before they were complete. */
    public int abortedByClient() {
        return journal.abortCount();
    }

    /**
     * When the fake observed the next client abort not returned by an earlier call (waiting for it if needed);
     * fails the test on timeout.
     */
    public Instant awaitAbort(Duration timeout) {
        return journal.awaitAbort(timeout);
    }

    /** TCP connections currently open to the fake. */
    public int openConnections() {
        return connections.open();
    }

    /** Waits until exactly {@code n} TCP connections are open; fails the test on timeout. */
    public void awaitOpenConnections(int n, Duration timeout) {
        connections.awaitOpen(n, timeout);
    }

    /** TCP connections accepted since the fake started (one per request unless the caller reuses them). */
    public int acceptedConnections() {
        return connections.accepted();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Closes every connection and stops the server and its Vert.x instance; waits for both. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            await(vertx.close());
        }
    }

    @Override
    public String toString() {
        return "FakeUpstream[" + name() + "]";
    }

    // ---- request handling (event loop) -----------------------------------------------------------------

    private void trackConnection(HttpConnection connection) {
        connections.opened();
        connection.closeHandler(ignored -> connections.closed());
    }

    private void handle(HttpServerRequest request) {
        request.exceptionHandler(error -> { });
        request.body().onSuccess(body -> respond(request, body));
    }

    private void respond(HttpServerRequest request, Buffer body) {
        String method = request.method().name();
        RecordedRequest recorded = new RecordedRequest(method, request.path(), request.query(), request.headers(),
                body.toString(StandardCharsets.UTF_8), Instant.now());
        journal.record(recorded);
        String requestId = Ids.requestId();
        ResponsePlan plan;
        try {
            plan = planFor(recorded, requestId);
        } catch (RuntimeException e) {
            plan = planner.rejection(new Rejection(500, "api_error", "fake upstream failed: " + e, null, null),
                    requestId);
        }
        writer.write(request, recorded, plan);
    }

    private ResponsePlan planFor(RecordedRequest request, String requestId) {
        Endpoint endpoint = wire.route(request.method(), request.path());
        if (endpoint == null) {
            return planner.rejection(wire.notFound(request.method(), request.path()), requestId);
        }
        Optional<Rejection> rejection = wire.authenticate(request, apiKey)
                .or(() -> wire.validator().validate(endpoint, request));
        if (rejection.isPresent()) {
            return planner.rejection(rejection.get(), requestId);
        }
        Optional<Reply> reply = replies.take(endpoint);
        if (reply.isPresent()) {
            return planner.plan(reply.get(), wire.context(request, requestId));
        }
        return switch (endpoint) {
            case MODELS -> planner.document(200, wire.models(), requestId);
            case COUNT_TOKENS -> planner.document(200, wire.countTokens(estimateTokens(request.body())), requestId);
            case COMPLETION -> planner.plan(greeting(), wire.context(request, requestId));
            case EMBEDDINGS -> planner.document(200, wire.embeddings(request), requestId);
        };
    }

    /** The initial default, and the answer to a completion request when the default is a count_tokens reply. */
    private Reply greeting() {
        return Reply.text("Hello from " + name());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(VERTX_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("fake upstream: Vert.x operation failed", e);
        }
    }
}
