package io.caravan.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamAttempt;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything one caller request carries through the routes: what was asked, which credentials were tried, and
 * whether anything has reached the caller yet (after which rotation is no longer allowed). Stored as one exchange
 * property so the route steps share it without a dozen loose headers.
 */
public final class GatewayCall {

    /** The exchange property holding this object. */
    public static final String PROPERTY = "caravan.call";

    private final String requestId;
    private final Endpoint endpoint;
    private final HttpServerRequest callerRequest;
    private final HttpServerResponse callerResponse;
    private final long startNanos = System.nanoTime();
    private final Set<Credential> tried = new HashSet<>(4);
    private final Map<String, String> extraUpstreamHeaders = new LinkedHashMap<>();

    private String model;
    private boolean stream;
    private byte[] body;
    private Map<String, Object> json;
    private ObjectNode tree;
    private Lease lease;
    private int attempts;
    private int retriesSpent;
    private boolean outOfCredentials;
    private volatile boolean callerGone;
    private volatile UpstreamAttempt<?> currentAttempt;
    private volatile Runnable callerGoneListener;
    private volatile long firstByteNanos;
    private int finalStatus;

    public GatewayCall(String requestId, Endpoint endpoint, HttpServerRequest callerRequest,
            HttpServerResponse callerResponse) {
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.callerRequest = callerRequest;
        this.callerResponse = callerResponse;
    }

    /** The call of an exchange that passed the {@link CallerGate}. */
    public static GatewayCall of(org.apache.camel.Exchange exchange) {
        return exchange.getProperty(PROPERTY, GatewayCall.class);
    }

    public String requestId() {
        return requestId;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Dialect dialect() {
        return endpoint.dialect();
    }

    public HttpServerRequest callerRequest() {
        return callerRequest;
    }

    public HttpServerResponse callerResponse() {
        return callerResponse;
    }

    public long startNanos() {
        return startNanos;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, Object> json() {
        return json;
    }

    /** The request as a JSON tree, parsed on first use (only translated requests need it), then shared. */
    ObjectNode tree(ObjectMapper mapper)
            throws IOException {
        if (tree == null) {
            tree = (ObjectNode) mapper.readTree(body);
        }
        return tree;
    }

    void setRequest(String model, boolean stream, byte[] body, Map<String, Object> json) {
        this.model = model;
        this.stream = stream;
        this.body = body;
        this.json = json;
    }

    /** The credential currently leased for this request, or {@code null} between attempts. */
    public Lease lease() {
        return lease;
    }

    /** Starts an attempt with a freshly leased credential. */
    public void useLease(Lease lease) {
        this.lease = lease;
        tried.add(lease.credential());
        attempts++;
    }

    public Set<Credential> tried() {
        return tried;
    }

    public int attempts() {
        return attempts;
    }

    public int retriesSpent() {
        return retriesSpent;
    }

    void spendRetry() {
        retriesSpent++;
    }

    /** Whether an attempt after a failure found no credential left to try: that failure is the caller's answer. */
    boolean outOfCredentials() {
        return outOfCredentials;
    }

    void markOutOfCredentials() {
        outOfCredentials = true;
    }

    public boolean callerGone() {
        return callerGone;
    }

    /** The caller went away: abort the upstream call at once (closing its socket) and stop any stream. */
    public void markCallerGone() {
        callerGone = true;
        UpstreamAttempt<?> attempt = currentAttempt;
        if (attempt != null) {
            attempt.abort(new CallerGoneException());
        }
        Runnable listener = callerGoneListener;
        if (listener != null) {
            listener.run();
        }
    }

    /** The attempt in progress; aborted at once if the caller has already gone. */
    public void setCurrentAttempt(UpstreamAttempt<?> attempt) {
        this.currentAttempt = attempt;
        if (callerGone) {
            attempt.abort(new CallerGoneException());
        }
    }

    /** Runs when the caller goes away (a stream relay stops its timers and ends the response). */
    public void onCallerGone(Runnable listener) {
        this.callerGoneListener = listener;
        if (callerGone) {
            listener.run();
        }
    }

    /** Whether the first byte of the answer has gone to the caller: from then on the credential cannot change. */
    public boolean committed() {
        return firstByteNanos != 0;
    }

    public void markFirstByte() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    /** Milliseconds from arrival to the first byte of the answer, or -1 if none was sent. */
    public double timeToFirstByteMillis() {
        return firstByteNanos == 0 ? -1 : (firstByteNanos - startNanos) / 1e6;
    }

    public int finalStatus() {
        return finalStatus;
    }

    public void setFinalStatus(int status) {
        this.finalStatus = status;
    }

    /** Headers a {@code before-upstream} hook asked to add to the upstream request. */
    public Map<String, String> extraUpstreamHeaders() {
        return extraUpstreamHeaders;
    }
}
