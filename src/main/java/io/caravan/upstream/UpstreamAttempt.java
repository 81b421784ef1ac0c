package io.caravan.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One request to one upstream credential. Completes with whatever its {@link SuccessHandler} makes of a 2xx answer,
 * or fails with {@link UpstreamFailure} for an error status, a network fault or a time-out before the first byte.
 * {@link #abort} closes the upstream socket at once (a chunked body is never drained).
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
    private final SuccessHandler<T> onSuccess;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile HttpClientRequest request;
    private volatile boolean aborted;
    private volatile long firstByteTimer = -1;

    UpstreamAttempt(Vertx vertx, String credentialName, Duration firstByteTimeout, SuccessHandler<T> onSuccess) {
        this.vertx = vertx;
        this.credentialName = credentialName;
        this.firstByteTimeout = firstByteTimeout;
        this.onSuccess = onSuccess;
    }

    public CompletableFuture<T> result() {
        return result;
    }

    public String credentialName() {
        return credentialName;
    }

    void start(HttpClient client, RequestOptions options, Buffer body) {
        firstByteTimer = vertx.setTimer(Math.max(1, firstByteTimeout.toMillis()), id -> {
            fail(UpstreamFailure.timeout(credentialName, "no answer within " + firstByteTimeout.toMillis() + " ms"));
            abortConnection();
        });
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
                } else if (answered.result().statusCode() / 100 == 2) {
                    onSuccess.onSuccess(answered.result(), this);
                } else {
                    failWithErrorBody(answered.result());
                }
            });
        });
    }

    /** Stops the time-to-first-byte clock: the upstream has started to answer. */
    public void firstByteReceived() {
        long timer = firstByteTimer;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            firstByteTimer = -1;
        }
    }

    public void complete(T value) {
        firstByteReceived();
        result.complete(value);
    }

    public void fail(Throwable failure) {
        firstByteReceived();
        result.completeExceptionally(failure);
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

    private void failWithErrorBody(HttpClientResponse response) {
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() < MAX_ERROR_BODY) {
                body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_ERROR_BODY - body.length()));
            }
        });
        Runnable done = () -> fail(UpstreamFailure.status(response.statusCode(), response.headers(), body.toString(),
                credentialName));
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
