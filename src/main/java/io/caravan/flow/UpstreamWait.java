package io.caravan.flow;

import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.RotationPolicy;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, without holding a thread, for an upstream attempt, and settles the lease when the attempt fails: the failed
 * credential goes back with the failure's cooldown before the failure reaches the error handler. The attempt's own
 * time-outs bound the wait.
 *
 * <p>A caller who leaves is no fault of the credential, unless the credential had sent no response head for longer
 * than the stall threshold by then: impatient callers would otherwise leave a hung credential in rotation for ever,
 * since its first-byte time-out never gets the chance to fire.
 */
final class UpstreamWait {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamWait.class);

    private UpstreamWait() {
    }

    /**
     * Completes with the attempt's result, or fails with the {@link UpstreamFailure} or {@link CallerGoneException}
     * that ended it, after the lease was settled accordingly.
     */
    static <T> Future<T> settled(GatewayCall call, Lease lease, UpstreamAttempt<T> attempt) {
        Promise<T> settled = Promise.promise();
        long sentNanos = System.nanoTime();
        attempt.result().onComplete(done -> {
            call.addUpstreamNanos(System.nanoTime() - sentNanos);
            Throwable cause = done.cause();
            call.observer().attemptEnded(call, lease.credential(), statusOf(cause), cause);
            if (done.succeeded()) {
                settled.complete(done.result());
                return;
            }
            if (cause instanceof UpstreamFailure failure) {
                settled.fail(settle(call, lease, attempt, failure));
            } else if (cause instanceof CallerGoneException gone) {
                lease.release(callerLeft(attempt));
                settled.fail(gone);
            } else {
                lease.release(Outcome.failure(Outcome.Kind.TRANSIENT_FAILURE, null, 0, null,
                        "the upstream attempt failed unexpectedly: " + cause.getClass().getSimpleName()));
                settled.fail(new IllegalStateException("upstream attempt failed unexpectedly", cause));
            }
        });
        return settled.future();
    }

    private static UpstreamFailure settle(GatewayCall call, Lease lease, UpstreamAttempt<?> attempt,
            UpstreamFailure failure) {
        if (call.callerGone()) {
            lease.release(callerLeft(attempt));
            return failure;
        }
        if (failure.kind() == UpstreamFailure.Kind.INVALID_ANSWER) {
            // A 2xx that is no answer says nothing to the caller's status line alone: say which credential sent it.
            LOG.warn("{}: credential {}: {}", call.requestId(), failure.credentialName(), failure.getMessage());
        }
        lease.release(RotationPolicy.of(failure).outcome(failure));
        return failure;
    }

    /** What the attempt's caller would see of it: 200 for an answer, the failure's status otherwise. */
    private static int statusOf(Throwable failure) {
        if (failure == null) {
            return 200;
        }
        return failure instanceof UpstreamFailure upstream ? upstream.status() : 0;
    }

    private static Outcome callerLeft(UpstreamAttempt<?> attempt) {
        return attempt.hungWithoutHead()
                ? Outcome.failure(Outcome.Kind.TRANSIENT_FAILURE, null, 0, null,
                        "no response head by the time the caller left (stalled)")
                : Outcome.NEUTRAL;
    }
}
