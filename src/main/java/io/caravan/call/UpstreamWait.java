package io.caravan.call;

import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamFailure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits (on the route's worker thread) for an upstream attempt, and settles the lease when the attempt fails:
 * the failed credential goes back with the failure's cooldown before the failure is thrown to the error handler.
 */
final class UpstreamWait {

    private UpstreamWait() {
    }

    static <T> T await(GatewayCall call, Lease lease, UpstreamAttempt<T> attempt, Duration deadline)
            throws UpstreamFailure, CallerGoneException, InterruptedException {
        try {
            return await(attempt.result(), deadline);
        } catch (TimeoutException e) {
            UpstreamFailure failure = UpstreamFailure.timeout(attempt.credentialName(), "request deadline passed");
            attempt.abort(failure);
            throw settle(call, lease, failure);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamFailure failure) {
                throw settle(call, lease, failure);
            }
            if (e.getCause() instanceof CallerGoneException gone) {
                lease.release(Outcome.NEUTRAL);
                throw gone;
            }
            lease.release(Outcome.TRANSIENT_FAILURE);
            throw new IllegalStateException("upstream attempt failed unexpectedly", e.getCause());
        }
    }

    static <T> T await(CompletableFuture<T> future, Duration deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
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
