package io.caravan.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake OpenAI or Anthropic upstream on {@code 127.0.0.1} that answers completion requests with one {@link Fault},
 * or with a fault drawn per request ({@link Fault#MIXED}). A healthy answer says {@link ProviderWire#answerText} of
 * the {@code chaos-N} nonce in the request, so the caller can tell a real answer from a relayed fault.
 *
 * <p>Bounded like the gateway must be: request bodies over {@link #MAX_REQUEST_BYTES} are refused, oversized and
 * endless answers are generated on the fly with back-pressure (never held whole), an endless answer stops after
 * {@link #ENDLESS_CAP_BYTES} or {@link #ENDLESS_CAP_MILLIS}, and the journal of what each request got stops growing
 * at {@link #MAX_JOURNAL}. Every connection is closed with {@code SO_LINGER 0}, so a drop is a TCP reset.
 */
public final class ChaosUpstream implements AutoCloseable {

    /** The size of a {@link Fault#HUGE_BODY} answer or event: far over any lowered gateway bound in these tests. */
    static final int HUGE_BYTES = 1024 * 1024;
    /** Far more than a bounded gateway reads (its bound plus the kernel's socket buffers) before it gives up. */
    static final long ENDLESS_CAP_BYTES = 32L * 1024 * 1024;
    /**
     * A gateway that read this much of one endless line did not bound it: a bounded one stops at its limit, and the
     * kernel's socket buffers on loopback hold a few MB at most.
     */
    static final long ENDLESS_EVIDENCE_BYTES = 16L * 1024 * 1024;
    static final long ENDLESS_CAP_MILLIS = 10_000;
    /** Longer than the first-byte time-out the chaos tests give the gateway. */
    static final long SLOW_HEADERS_MILLIS = 2_500;
    static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final int MAX_JOURNAL = 50_000;
    private static final int FILLER_BYTES = 16 * 1024;
    private static final Pattern NONCE = Pattern.compile("chaos-\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>"
            + "<form action=\"/login\" method=\"post\"><input name=\"user\"><input name=\"password\" type=\"password\">"
            + "</form></body></html>\n";

    private final String name;
    private final ProviderWire wire;
    private final Fault fault;
    private final long seed;
    private final String apiKey;
    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Fault, AtomicInteger> applied = new EnumMap<>(Fault.class);
    private final Map<String, List<String>> journal = new ConcurrentHashMap<>();
    private final AtomicInteger journalEntries = new AtomicInteger();
    private final AtomicInteger endlessReadFar = new AtomicInteger();
    private final AtomicInteger wrongKeys = new AtomicInteger();
    private final AtomicInteger markedRequests = new AtomicInteger();
    private volatile String watchedMarker;
    private final Buffer filler = Buffer.buffer("x".repeat(FILLER_BYTES));

    private ChaosUpstream(String name, ProviderWire wire, Fault fault, long seed) {
        this.name = name;
        this.wire = wire;
        this.fault = fault;
        this.seed = seed;
        this.apiKey = "sk-chaos-" + name + "-" + Long.toHexString(new Random(seed).nextLong());
        for (Fault f : Fault.values()) {
            applied.put(f, new AtomicInteger());
        }
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setSoLinger(0).setTcpNoDelay(true));
        created.requestHandler(this::handle);
        try {
            this.server = await(created.listen());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** A fake OpenAI upstream ({@code POST /v1/chat/completions}) with the given fault, already listening. */
    public static ChaosUpstream openAi(String name, Fault fault, long seed) {
        return new ChaosUpstream(name, ProviderWire.OPENAI, fault, seed);
    }

    /** A fake Anthropic upstream ({@code POST /v1/messages}) with the given fault, already listening. */
    public static ChaosUpstream anthropic(String name, Fault fault, long seed) {
        return new ChaosUpstream(name, ProviderWire.ANTHROPIC, fault, seed);
    }

    public String name() {
        return name;
    }

    public Fault fault() {
        return fault;
    }

    public String apiKey() {
        return apiKey;
    }

    public String baseUrl() {
        return wire.baseUrl(server.actualPort());
    }

    /** The entry for this upstream in a credentials file (YAML lines of one list item). */
    public String credentialYaml(String models) {
        return "  - name: " + name + "\n"
                + "    kind: " + wire.kind() + "\n"
                + "    base-url: " + baseUrl() + "\n"
                + "    api-key: " + apiKey + "\n"
                + "    models: " + models + "\n"
                + "    max-concurrent: 64\n";
    }

    /** Completion requests received so far. */
    public int requestCount() {
        return requests.get();
    }

    /** How often each fault was applied so far (only faults applied at least once). */
    public Map<Fault, Integer> appliedFaults() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        applied.forEach((f, n) -> {
            if (n.get() > 0) {
                counts.put(f, n.get());
            }
        });
        return counts;
    }

    /**
     * How many {@link Fault#ENDLESS_LINE} answers the gateway read past {@link #ENDLESS_EVIDENCE_BYTES}: a gateway that
     * bounds what it holds stops reading (and closes) long before.
     */
    public int endlessAnswersReadFar() {
        return endlessReadFar.get();
    }

    /** Requests that presented another key than this credential's (401 answers). */
    public int wrongKeyRequests() {
        return wrongKeys.get();
    }

    /** Counts from now on the requests with a header value containing {@code marker} (a caller's value that leaked). */
    public void watchHeaderValue(String marker) {
        watchedMarker = marker;
    }

    /** Requests seen with a header value containing the {@link #watchHeaderValue watched} marker. */
    public int requestsWithWatchedHeaderValue() {
        return markedRequests.get();
    }

    /** What this upstream did with each request carrying {@code nonce}, oldest first (e.g. "HANG"). */
    public List<String> servedFor(String nonce) {
        List<String> served = journal.get(nonce);
        return served == null ? List.of() : List.copyOf(served);
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    @Override
    public String toString() {
        return "ChaosUpstream[" + name + ", " + wire.kind() + ", " + fault + "]";
    }

    // ---- request handling (on this fake's event loop) -----------------------------------------------------

    private void handle(HttpServerRequest request) {
        request.exceptionHandler(ignored -> { });
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_REQUEST_BYTES) {
                request.connection().close();
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ignored -> respond(request, body.toString(StandardCharsets.UTF_8)));
    }

    private void respond(HttpServerRequest request, String body) {
        HttpServerResponse response = request.response();
        response.exceptionHandler(ignored -> { });
        if (request.method().name().equals("POST") && request.path().equals("/v1/messages/count_tokens")
                && wire == ProviderWire.ANTHROPIC) {
            json(response, 200, "{\"input_tokens\":9}");
            return;
        }
        if (!request.method().name().equals("POST") || !request.path().equals(wire.completionPath())) {
            json(response, 404, wire.errorBody(404));
            return;
        }
        String marker = watchedMarker;
        if (marker != null && request.headers().entries().stream().anyMatch(h -> h.getValue().contains(marker))) {
            markedRequests.incrementAndGet();
        }
        if (!apiKey.equals(wire.presentedKey(request.getHeader("authorization"), request.getHeader("x-api-key")))) {
            wrongKeys.incrementAndGet();
            json(response, 401, wire.errorBody(401));
            return;
        }
        requests.incrementAndGet();
        Call call = Call.parse(body);
        if (call == null) {
            // As the real APIs do for a body they cannot take: a 400, which a gateway relays and never counts as a
            // fault of the credential.
            record(nonceIn(body), "400 for an invalid request body");
            json(response, 400, wire.errorBody(400));
            return;
        }
        // Seeded by the request and how often this upstream saw it, so a run's faults do not depend on timing.
        Random random = new Random(seed * 31 + call.nonce.hashCode() * 17L + servedFor(call.nonce).size());
        Fault chosen = fault.resolve(random);
        applied.get(chosen).incrementAndGet();
        record(call.nonce, chosen.name());
        switch (chosen) {
            case HEALTHY -> healthy(response, call);
            case SERVER_ERROR -> {
                int status = random.nextBoolean() ? 500 : wire == ProviderWire.OPENAI ? 503 : 529;
                json(response, status, wire.errorBody(status));
            }
            case RATE_LIMITED -> {
                String[] reset = wire.rateLimitResetHeader(1);
                response.putHeader("retry-after", "1").putHeader(reset[0], reset[1]);
                json(response, 429, wire.errorBody(429));
            }
            case RESET_BEFORE_HEADERS -> request.connection().close();
            case HANG -> {
                // Never answered: the gateway's first-byte time-out (or the caller leaving) must end this.
            }
            case SLOW_HEADERS -> vertx.setTimer(SLOW_HEADERS_MILLIS, t -> {
                if (!response.closed()) {
                    healthy(response, call);
                }
            });
            case MID_STREAM_DROP -> midStreamDrop(request, response, call);
            case CLEAN_EARLY_END -> cleanEarlyEnd(response, call);
            case GARBAGE_200 -> garbage(response, call, random);
            case HUGE_BODY -> huge(response, call, random);
            case ENDLESS_LINE -> endless(request, response, call);
            case MIXED -> throw new IllegalStateException("MIXED resolves to a concrete fault");
        }
    }

    private void record(String nonce, String what) {
        if (journalEntries.incrementAndGet() <= MAX_JOURNAL) {
            journal.computeIfAbsent(nonce, n -> new ArrayList<>()).add(what);
        }
    }

    private void healthy(HttpServerResponse response, Call call) {
        String text = ProviderWire.answerText(call.nonce);
        if (!call.stream) {
            json(response, 200, wire.completion(call.model, text));
            return;
        }
        eventStream(response);
        for (String frame : wire.streamFrames(call.model, text, call.includeUsage)) {
            response.write(frame);
        }
        response.end();
    }

    private void midStreamDrop(HttpServerRequest request, HttpServerResponse response, Call call) {
        String text = ProviderWire.answerText(call.nonce);
        if (call.stream) {
            eventStream(response);
            List<String> frames = wire.streamFrames(call.model, text, call.includeUsage);
            for (String frame : frames.subList(0, frames.size() / 2)) {
                response.write(frame);
            }
        } else {
            String whole = wire.completion(call.model, text);
            response.setStatusCode(200).putHeader("content-type", "application/json")
                    .putHeader("content-length", Integer.toString(whole.length()));
            response.write(whole.substring(0, whole.length() / 2));
        }
        // A moment later, so the bytes already written reach the gateway before the reset.
        vertx.setTimer(20, t -> request.connection().close());
    }

    private void cleanEarlyEnd(HttpServerResponse response, Call call) {
        String text = ProviderWire.answerText(call.nonce);
        if (call.stream) {
            eventStream(response);
            List<String> opening = wire.streamOpening(call.model, call.includeUsage);
            opening.forEach(response::write);
            List<String> pieces = ProviderWire.pieces(text);
            for (String piece : pieces.subList(0, pieces.size() / 2)) {
                response.write(wire.textFrame(call.model, piece, call.includeUsage));
            }
            response.end();
        } else {
            String whole = wire.completion(call.model, text);
            json(response, 200, whole.substring(0, whole.length() / 2));
        }
    }

    private void garbage(HttpServerResponse response, Call call, Random random) {
        boolean posingAsStream = call.stream && random.nextBoolean();
        response.setStatusCode(200)
                .putHeader("content-type", posingAsStream ? "text/event-stream" : "text/html; charset=utf-8")
                .end(LOGIN_PAGE);
    }

    private void huge(HttpServerResponse response, Call call, Random random) {
        if (call.stream) {
            eventStream(response);
            wire.streamOpening(call.model, call.includeUsage).forEach(response::write);
            String[] frame = textFrameAround(call);
            List<Supplier<Buffer>> parts = List.of(
                    once(frame[0]), fill(HUGE_BYTES), once(frame[1]),
                    once(String.join("", wire.streamClosing(call.model, 1, call.includeUsage))));
            pump(response, sequence(parts), response::end);
            return;
        }
        String[] around = wire.completionAroundText(call.model);
        response.setStatusCode(200).putHeader("content-type", "application/json");
        if (random.nextBoolean()) {
            // Half the time the size is announced up front, half the time it only shows while reading.
            long length = around[0].length() + (long) HUGE_BYTES + around[1].length();
            response.putHeader("content-length", Long.toString(length));
        } else {
            response.setChunked(true);
        }
        pump(response, sequence(List.of(once(around[0]), fill(HUGE_BYTES), once(around[1]))), response::end);
    }

    private void endless(HttpServerRequest request, HttpServerResponse response, Call call) {
        String opening;
        if (call.stream) {
            eventStream(response);
            opening = String.join("", wire.streamOpening(call.model, call.includeUsage))
                    + wire.endlessTextFramePrefix(call.model);
        } else {
            response.setStatusCode(200).putHeader("content-type", "application/json").setChunked(true);
            opening = wire.completionAroundText(call.model)[0];
        }
        long until = System.currentTimeMillis() + ENDLESS_CAP_MILLIS;
        AtomicLong left = new AtomicLong(ENDLESS_CAP_BYTES);
        Supplier<Buffer> endless = fill(left);
        Supplier<Buffer> timed = () -> System.currentTimeMillis() < until ? endless.get() : null;
        boolean[] gaveUp = {false};
        response.closeHandler(ignored -> {
            long written = ENDLESS_CAP_BYTES - left.get();
            if (written >= ENDLESS_EVIDENCE_BYTES) {
                endlessReadFar.incrementAndGet();
            }
            record(call.nonce, "(endless line: " + (gaveUp[0] ? "the fake gave up" : "the gateway left") + " after "
                    + written / 1024 + " KiB)");
        });
        // At the cap the line still has not ended: the connection is reset, as a dying upstream would.
        pump(response, sequence(List.of(once(opening), timed)), () -> {
            gaveUp[0] = true;
            request.connection().close();
        });
    }

    /** The parts of one text frame around its text, for a frame whose text is generated. */
    private String[] textFrameAround(Call call) {
        String frame = wire.textFrame(call.model, "@@TEXT@@", call.includeUsage);
        int at = frame.indexOf("@@TEXT@@");
        return new String[] {frame.substring(0, at), frame.substring(at + "@@TEXT@@".length())};
    }

    // ---- generated bodies, written with back-pressure -----------------------------------------------------

    /** Writes what {@code next} supplies while the connection takes it, then runs {@code done} (null: finished). */
    private void pump(HttpServerResponse response, Supplier<Buffer> next, Runnable done) {
        response.setWriteQueueMaxSize(64 * 1024);
        pumpSome(response, next, done);
    }

    private void pumpSome(HttpServerResponse response, Supplier<Buffer> next, Runnable done) {
        while (!response.closed() && !response.writeQueueFull()) {
            Buffer chunk = next.get();
            if (chunk == null) {
                if (!response.closed()) {
                    done.run();
                }
                return;
            }
            response.write(chunk);
        }
        if (!response.closed()) {
            response.drainHandler(ignored -> pumpSome(response, next, done));
        }
    }

    private static Supplier<Buffer> once(String text) {
        boolean[] given = {false};
        return () -> {
            if (given[0]) {
                return null;
            }
            given[0] = true;
            return Buffer.buffer(text);
        };
    }

    /** {@code total} bytes of filler text, one slice at a time. */
    private Supplier<Buffer> fill(long total) {
        return fill(new AtomicLong(total));
    }

    /** Filler text until {@code left} is used up, one slice at a time. */
    private Supplier<Buffer> fill(AtomicLong left) {
        return () -> {
            long n = Math.min(FILLER_BYTES, left.get());
            if (n <= 0) {
                return null;
            }
            left.addAndGet(-n);
            return filler.getBuffer(0, (int) n);
        };
    }

    private static Supplier<Buffer> sequence(List<Supplier<Buffer>> parts) {
        int[] current = {0};
        return () -> {
            while (current[0] < parts.size()) {
                Buffer b = parts.get(current[0]).get();
                if (b != null) {
                    return b;
                }
                current[0]++;
            }
            return null;
        };
    }

    private static void eventStream(HttpServerResponse response) {
        response.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache");
    }

    private static void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("chaos upstream: Vert.x operation failed", e);
        }
    }

    private static String nonceIn(String body) {
        Matcher nonce = NONCE.matcher(body);
        return nonce.find() ? nonce.group() : "chaos-none";
    }

    /** What the fake reads from a request body: the model, whether to stream, and the caller's nonce. */
    private record Call(String model, boolean stream, boolean includeUsage, String nonce) {

        /** Null for a body the real APIs refuse: not JSON, or model, messages or stream of the wrong type. */
        static Call parse(String body) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (Exception notJson) {
                return null;
            }
            if (json == null || !json.path("model").isTextual() || !json.path("messages").isArray()
                    || (json.has("stream") && !json.get("stream").isBoolean())) {
                return null;
            }
            return new Call(json.get("model").asText(), json.path("stream").asBoolean(false),
                    json.path("stream_options").path("include_usage").asBoolean(false), nonceIn(body));
        }
    }
}
