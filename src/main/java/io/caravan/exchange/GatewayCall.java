package io.caravan.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.clients.ModelAllowList;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.StreamFraming;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.TokenCounts;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.relay.CallerChannel;
import io.caravan.relay.RelayedCall;
import io.caravan.routing.SessionKey;
import io.caravan.upstream.UpstreamAttempt;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One caller request as the routes carry it: the {@link CallerRequest} (what was asked, fixed once read), its
 * {@link CallProgress} (credentials tried, the attempt in flight, whether anything reached the caller) and the
 * {@link CallerChannel} its answer goes to. Stored as one exchange property so the route steps share it without a
 * dozen loose headers; its accessors read through to the part that holds the value.
 */
public final class GatewayCall implements RelayedCall {

    /** The exchange property holding this object. */
    public static final String PROPERTY = "caravan.call";
    private static final String MODEL = "model";
    private static final String STREAM = "stream";
    /** The longest model name the {@link CallerHeaders#SERVED_MODEL} header carries. */
    private static final int MAX_HEADER_MODEL_CHARS = 256;

    private final CallerChannel channel;
    private final CallProgress progress;
    private CallerRequest request;
    /** The request as a JSON tree, parsed on first use (only translated requests need it). */
    private ObjectNode tree;
    private CallObserver observer = CallObserver.NONE;
    private StreamFraming streamFraming = StreamFraming.SSE;
    /** The models the caller's client may use: a fallback must be one of them too. */
    private ModelAllowList allowedModels = ModelAllowList.ALL;
    /** What the observers keep for this request (a trace's open spans); see {@link CallObserver}. */
    private volatile Object telemetry;

    /**
     * A request that has just arrived, answered through {@code channel}.
     *
     * @param relayedHeaders the caller's headers its dialect relays upstream
     */
    public GatewayCall(String requestId, Endpoint endpoint, CallerChannel channel,
            Map<String, List<String>> relayedHeaders) {
        this.channel = channel;
        this.request = CallerRequest.arrived(requestId, endpoint, relayedHeaders);
        this.progress = new CallProgress(request.startNanos());
    }

    /** The call of an exchange that passed the caller gate ({@code ingress.CallerGate}). */
    public static GatewayCall of(org.apache.camel.Exchange exchange) {
        return exchange.getProperty(PROPERTY, GatewayCall.class);
    }

    public CallerRequest request() {
        return request;
    }

    public CallProgress progress() {
        return progress;
    }

    @Override
    public CallerChannel channel() {
        return channel;
    }

    @Override
    public String requestId() {
        return request.requestId();
    }

    public Endpoint endpoint() {
        return request.endpoint();
    }

    @Override
    public Dialect dialect() {
        return request.dialect();
    }

    @Override
    public long startNanos() {
        return request.startNanos();
    }

    public String model() {
        return request.model();
    }

    /**
     * The model serving the call: the requested one, or the fallback that took its place when none of its credentials
     * could serve. Credentials are leased for it, the upstream is asked for it, and the answer, the usage record and
     * the metrics name it; {@link #model()} stays what the caller asked for.
     */
    public String servedModel() {
        String fallback = progress.fallbackModel();
        return fallback != null ? fallback : request.model();
    }

    /** Whether a fallback model serves the call in place of the requested one. */
    public boolean fellBack() {
        return progress.fallbackModel() != null;
    }

    /** The models the caller's client may use; every model unless the gate said otherwise. */
    public ModelAllowList allowedModels() {
        return allowedModels;
    }

    /** Set by the gate from the client it authenticated. */
    public void setAllowedModels(ModelAllowList allowedModels) {
        this.allowedModels = allowedModels;
    }

    public boolean stream() {
        return request.stream();
    }

    public byte[] body() {
        return request.body();
    }

    public Map<String, Object> json() {
        return request.json();
    }

    /**
     * The request as a JSON tree, parsed on first use (only translated requests need it), then shared. For a dialect
     * that names model and stream in the path, the tree names them as the other dialects' bodies do (as
     * {@link #json()} does).
     */
    public ObjectNode tree(ObjectMapper mapper)
            throws IOException {
        if (tree == null) {
            ObjectNode parsed = (ObjectNode) mapper.readTree(request.body());
            if (!dialect().modelInBody()) {
                parsed.put(MODEL, request.model()).put(STREAM, request.stream());
            }
            tree = parsed;
        }
        return tree;
    }

    /** How a streamed answer is framed for the caller. */
    @Override
    public StreamFraming streamFraming() {
        return streamFraming;
    }

    /** Set by the gate from the request's query, for a dialect that offers more than one framing. */
    public void setStreamFraming(StreamFraming framing) {
        this.streamFraming = framing;
    }

    /** The gate starts observing the call: {@code observer} hears of it from its arrival to its end. */
    public void observeWith(CallObserver observer, Function<String, String> callerHeader) {
        this.observer = observer;
        observer.callArrived(this, callerHeader);
    }

    public CallObserver observer() {
        return observer;
    }

    public Object telemetry() {
        return telemetry;
    }

    public void setTelemetry(Object telemetry) {
        this.telemetry = telemetry;
    }

    /** The gate read and checked the body: from here on the request is fixed. */
    public void setRequest(String model, boolean stream, byte[] body, Map<String, Object> json) {
        setRequest(model, stream, body, json, null, null, null);
    }

    /**
     * As {@link #setRequest(String, boolean, byte[], Map)}, for a request only its own dialect's credentials may serve
     * ({@code untranslatable}), or only one credential ({@code pinnedCredential}), from the {@code client} the gate
     * authenticated; each may be {@code null}.
     */
    public void setRequest(String model, boolean stream, byte[] body, Map<String, Object> json,
            Refusal untranslatable, String client, String pinnedCredential) {
        this.request = request.withBody(model, stream, body, json, untranslatable, client, pinnedCredential);
        // A hook may revise the request (io.caravan.ingress.RevisedRequest): a tree read from the old body is stale.
        this.tree = null;
    }

    /** The gate read the session the request names ({@code null}: none), for session affinity. */
    public void setSession(SessionKey session) {
        this.request = request.withSession(session);
    }

    public Lease lease() {
        return progress.lease();
    }

    /**
     * Starts an attempt with {@code lease}; the answer's head, whichever it turns out to be, names the model it serves
     * ({@link CallerHeaders#SERVED_MODEL}).
     */
    public void useLease(Lease lease) {
        progress.useLease(lease);
        String served = servedModel();
        if (headerSafe(served)) {
            channel.addHeaders(Map.of(CallerHeaders.SERVED_MODEL, served));
        }
    }

    /**
     * Whether a model name can go in a header as it is: the caller chose it (a wildcard rule serves any name), and a
     * header value with a line break or other control characters would be refused by the server, or worse.
     */
    private static boolean headerSafe(String model) {
        if (model == null || model.isEmpty() || model.length() > MAX_HEADER_MODEL_CHARS) {
            return false;
        }
        for (int i = 0; i < model.length(); i++) {
            char c = model.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    public Set<Credential> tried() {
        return progress.tried();
    }

    public int attempts() {
        return progress.attempts();
    }

    public int retriesSpent() {
        return progress.retriesSpent();
    }

    public void spendRetry() {
        progress.spendRetry();
    }

    public boolean outOfCredentials() {
        return progress.outOfCredentials();
    }

    public void markOutOfCredentials() {
        progress.markOutOfCredentials();
    }

    @Override
    public boolean callerGone() {
        return progress.callerGone();
    }

    public void markCallerGone() {
        progress.markCallerGone();
    }

    public void setCurrentAttempt(UpstreamAttempt<?> attempt) {
        progress.setCurrentAttempt(attempt);
    }

    @Override
    public void onCallerGone(Runnable listener) {
        progress.onCallerGone(listener);
    }

    @Override
    public boolean committed() {
        return progress.committed();
    }

    @Override
    public void markFirstByte() {
        progress.markFirstByte();
    }

    public double timeToFirstByteMillis() {
        return progress.timeToFirstByteMillis();
    }

    /** @see CallProgress#upstreamNanos() */
    public long upstreamNanos() {
        return progress.upstreamNanos();
    }

    public void addUpstreamNanos(long nanos) {
        progress.addUpstreamNanos(nanos);
    }

    public int finalStatus() {
        return progress.finalStatus();
    }

    public void setFinalStatus(int status) {
        progress.setFinalStatus(status);
    }

    /** @see CallProgress#usage() */
    public TokenCounts usage() {
        return progress.usage();
    }

    /** @see CallProgress#recordUsage(TokenCounts) */
    public void recordUsage(TokenCounts counts) {
        progress.recordUsage(counts);
    }

    public Map<String, String> extraUpstreamHeaders() {
        return progress.extraUpstreamHeaders();
    }
}
