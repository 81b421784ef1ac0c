package io.caravan.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * One request to one upstream credential. Completes with whatever its {@link SuccessHandler} makes of a 2xx answer,
 * or fails with {@link UpstreamFailure} for an error status, a network fault or a time-out before the first byte.
 * {@link #abort} closes the upstream socket at once (a chunked body is never drained).
 *
 * <p>Two clocks bound it. The first-byte clock runs until the upstream's response head (a stream's: until its first
 * event reached the caller); for a whole answer the answer clock then runs on until its last byte, so that a slow
 * but live upstream is not cut at the first-byte time-out and a trickling one is still bounded.
 */
public final class UpstreamAttempt<T> {

    /** Turns a 2xx upstream answer into the attempt's result; runs on the event loop. */
    @FunctionalInterface
    public interface SuccessHandler<T> {
        void onSuccess(HttpClientResponse response, UpstreamAttempt<T> attempt);
    }

    /** Error bodies beyond this are cut: they are only relayed or logged, never parsed in full. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Vertx vertx;
    private final String credentialName;
    private final Duration firstByteTimeout;
    private final Duration answerTimeout;
    private final long stallNanos;
    private final SuccessHandler<T> onSuccess;
    private final Promise<T> result = Promise.promise();
    private final long startNanos = System.nanoTime();
    private volatile HttpClientRequest request;
    private volatile boolean aborted;
    private volatile boolean headReceived;
    private volatile long firstByteTimer = -1;
    private volatile long answerTimer = -1;

    /**
     * @param answerTimeout for a whole answer: how long it may take in all; {@code null} for a stream, whose
     *     first-byte clock runs until its first event instead
     * @param stallThreshold how long without a response head makes the attempt count as hung
     */
    UpstreamAttempt(Vertx vertx, String credentialName, Duration firstByteTimeout, Duration answerTimeout,
            Duration stallThreshold, SuccessHandler<T> onSuccess) {
        this.vertx = vertx;
        this.credentialName = credentialName;
        this.firstByteTimeout = firstByteTimeout;
        this.answerTimeout = answerTimeout;
        this.stallNanos = stallThreshold.toNanos();
        this.onSuccess = onSuccess;
    }

    public Future<T> result() {
        return result.future();
    }

    public String credentialName() {
        return credentialName;
    }

    void start(HttpClient client, RequestOptions options, Buffer body) {
        firstByteTimer = vertx.setTimer(Math.max(1, firstByteTimeout.toMillis()), id -> abort(UpstreamFailure.timeout(
                credentialName, "no answer within " + firstByteTimeout.toMillis() + " ms")));
        if (answerTimeout != null) {
            answerTimer = vertx.setTimer(Math.max(1, answerTimeout.toMillis()), id -> abort(UpstreamFailure.timeout(
                    credentialName, "the answer was not complete within " + answerTimeout.toMillis() + " ms")));
        }
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                fail(classify(created.cause()));
                return;
            }
            HttpClientRequest req = created.result();
            request = req;
            if (aborted) {
                req.reset();
                return;
            }
            req.send(body).onComplete(answered -> {
                if (answered.failed()) {
                    fail(classify(answered.cause()));
                    return;
                }
                headReceived();
                if (answered.result().statusCode() / 100 == 2) {
                    onSuccess.onSuccess(answered.result(), this);
                } else {
                    failWithErrorBody(answered.result());
                }
            });
        });
    }

    private void headReceived() {
        headReceived = true;
        if (answerTimeout != null) {
            cancel(firstByteTimer);
        }
    }

    /**
     * Whether the upstream has sent no response head although it was asked longer than the stall threshold ago:
     * a caller who gives up on such an attempt gave up on a hung credential, not out of impatience of its own.
     */
    public boolean hungWithoutHead() {
        return !headReceived && System.nanoTime() - startNanos > stallNanos;
    }

    /** Stops both clocks: the attempt has settled, or (a stream) its first event reached the caller. */
    private void stopClocks() {
        cancel(firstByteTimer);
        cancel(answerTimer);
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public void complete(T value) {
        stopClocks();
        result.tryComplete(value);
    }

    public void fail(Throwable failure) {
        stopClocks();
        result.tryFail(failure);
    }

    /** Fails the attempt with {@code reason} (if still open) and closes the upstream socket. */
    public void abort(Throwable reason) {
        fail(reason);
        abortConnection();
    }

    private void abortConnection() {
        aborted = true;
        HttpClientRequest req = request;
        if (req != null) {
            req.reset();
        }
    }

    /**
     * Keeps the first {@value #MAX_ERROR_BODY} bytes of an error answer. A longer one is cut there and its
     * connection closed, so that a huge error body is neither held nor drained.
     */
    private void failWithErrorBody(HttpClientResponse response) {
        Buffer body = Buffer.buffer();
        Runnable done = () -> fail(UpstreamFailure.status(response.statusCode(), response.headers(), body.toString(),
                credentialName));
        response.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            int room = MAX_ERROR_BODY - body.length();
            body.appendBuffer(chunk, 0, Math.min(chunk.length(), room));
            if (chunk.length() > room) {
                done.run();
                abortConnection();
            }
        });
        response.endHandler(v -> done.run());
        response.exceptionHandler(e -> done.run());
    }

    private UpstreamFailure classify(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return UpstreamFailure.timeout(credentialName, "connect time-out");
        }
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return UpstreamFailure.network(credentialName, detail);
    }
}
