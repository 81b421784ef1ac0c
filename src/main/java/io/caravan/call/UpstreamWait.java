package io.caravan.call;

import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamFailure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Waits, without holding a thread, for an upstream attempt, and settles the lease when the attempt fails: the failed
 * credential goes back with the failure's cooldown before the failure reaches the error handler.
 */
final class UpstreamWait {

    private UpstreamWait() {
    }

    /**
     * Completes with the attempt's result, or fails with the {@link UpstreamFailure} (also for the request deadline)
     * or {@link CallerGoneException} that ended it, after the lease was settled accordingly.
     */
    static <T> CompletableFuture<T> settled(GatewayCall call, Lease lease, UpstreamAttempt<T> attempt, Duration deadline) {
        CompletableFuture<T> settled = new CompletableFuture<>();
        within(attempt.result(), deadline).whenComplete((result, error) -> {
            if (error == null) {
                settled.complete(result);
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof java.util.concurrent.TimeoutException) {
                UpstreamFailure failure = UpstreamFailure.timeout(attempt.credentialName(), "request deadline passed");
                attempt.abort(failure);
                settled.completeExceptionally(settle(call, lease, failure));
            } else if (cause instanceof UpstreamFailure failure) {
                settled.completeExceptionally(settle(call, lease, failure));
            } else if (cause instanceof CallerGoneException gone) {
                lease.release(Outcome.NEUTRAL);
                settled.completeExceptionally(gone);
            } else {
                lease.release(Outcome.TRANSIENT_FAILURE);
                settled.completeExceptionally(new IllegalStateException("upstream attempt failed unexpectedly", cause));
            }
        });
        return settled;
    }

    /** A view of {@code future} that fails with a TimeoutException after {@code deadline}; the future itself is left alone. */
    static <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration deadline) {
        return future.copy().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static UpstreamFailure settle(GatewayCall call, Lease lease, UpstreamFailure failure) {
        if (call.callerGone()) {
            lease.release(Outcome.NEUTRAL);
        } else {
            lease.release(failure.outcome());
        }
        return failure;
    }
}
