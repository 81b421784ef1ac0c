package io.caravan.call;

import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits, without holding a thread, for an upstream attempt, and settles the lease when the attempt fails: the failed
 * credential goes back with the failure's cooldown before the failure reaches the error handler. The attempt's own
 * first-byte time-out bounds the wait.
 */
final class UpstreamWait {

    private UpstreamWait() {
    }

    /**
     * Completes with the attempt's result, or fails with the {@link UpstreamFailure} or {@link CallerGoneException}
     * that ended it, after the lease was settled accordingly.
     */
    static <T> CompletableFuture<T> settled(GatewayCall call, Lease lease, UpstreamAttempt<T> attempt) {
        CompletableFuture<T> settled = new CompletableFuture<>();
        attempt.result().whenComplete((result, error) -> {
            if (error == null) {
                settled.complete(result);
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof UpstreamFailure failure) {
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
