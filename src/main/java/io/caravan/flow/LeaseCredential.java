package io.caravan.flow;

import io.caravan.bridge.DialectBridge;
import io.caravan.config.GatewaySettings;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Refusal;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.Lease;
import io.caravan.pool.NoCredentialException;
import io.caravan.routing.SessionAffinity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Enriches the exchange with a credential leased from the pool, one the request has not tried yet. When every
 * credential for the model is at its concurrency limit the request waits in the pool's bounded queue, and never on
 * an event loop: a route that started on one continues on a worker thread once a credential is free. As a route step
 * it leases the first attempt's credential; the upstream step leases the next ones through {@link #lease}.
 */
public final class LeaseCredential extends AsyncProcessorSupport {

    /** What follows a lease. */
    @FunctionalInterface
    interface Then {
        /**
         * @param failure why no credential was leased (a {@code NoCredentialException}, mostly), or {@code null} when
         *     the call holds its new lease
         * @param sync whether this runs on the thread that asked for the lease, before {@link #lease} returned
         * @return when {@code sync}, whether the work that follows completed synchronously too (ignored otherwise)
         */
        boolean run(Exception failure, boolean sync);
    }

    private static final Set<Dialect> ANY_DIALECT = Set.copyOf(Dialects.all());

    private final CredentialPool pool;
    private final DialectBridge bridge;
    private final GatewaySettings settings;
    private final Vertx vertx;
    private final ModelFallback fallback;
    private final SessionAffinity affinity;

    public LeaseCredential(CredentialPool pool, DialectBridge bridge, GatewaySettings settings, Vertx vertx,
            ModelFallback fallback, SessionAffinity affinity) {
        this.pool = pool;
        this.bridge = bridge;
        this.settings = settings;
        this.vertx = vertx;
        this.fallback = fallback;
        this.affinity = affinity;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return lease(GatewayCall.of(exchange), (failure, sync) -> {
            if (failure != null) {
                exchange.setException(failure);
            }
            callback.done(sync);
            return sync;
        });
    }

    /**
     * Leases the call's next credential and then runs {@code then}: at once when a credential is free (or, off the
     * event loop, after waiting for one), else on a worker thread after the wait.
     *
     * @return {@code then}'s answer when it ran before this returned, else {@code false}
     */
    boolean lease(GatewayCall call, Then then) {
        Lease lease;
        try {
            lease = keptBySession(call);
            if (lease == null) {
                lease = Context.isOnEventLoopThread()
                        ? pool.leaseIfFree(call.servedModel(), bridge.servingKinds(call), excluded(call))
                        : waitForLease(call);
            }
        } catch (Exception e) {
            Exception failure = fallback.afterLeaseFailure(call, e, refusedWhenUntranslatable(call, e));
            return failure == null ? lease(call, then) : then.run(failure, true);
        }
        if (lease != null) {
            use(call, lease);
            return then.run(null, true);
        }
        vertx.executeBlocking(() -> {
            Exception failure = null;
            try {
                use(call, waitForLease(call));
            } catch (Exception e) {
                failure = fallback.afterLeaseFailure(call, e, e);
                if (failure == null) {
                    // The next model's lease, from this worker thread: whatever it does, it is not synchronous.
                    lease(call, (next, sync) -> then.run(next, false));
                    return null;
                }
            }
            then.run(failure, false);
            return null;
        }, false);
        return false;
    }

    /**
     * A request only credentials of its own dialect may serve, for a model that only credentials of other dialects
     * serve, is refused with why it cannot be translated (400), not told the model is unknown.
     */
    private Exception refusedWhenUntranslatable(GatewayCall call, Exception failure) {
        Refusal untranslatable = call.request().untranslatable();
        if (untranslatable != null && failure instanceof NoCredentialException none
                && none.reason() == NoCredentialException.Reason.MODEL_NOT_SERVED
                && pool.candidateCount(call.servedModel(), ANY_DIALECT) > 0) {
            return new CallerError(400, untranslatable.message(), untranslatable.code());
        }
        return failure;
    }

    /**
     * The credential that served the session's previous request, when it may serve this one. A request pinned to the
     * credential holding the answer it continues follows its pin instead, whatever the session says.
     */
    private Lease keptBySession(GatewayCall call) {
        if (call.request().pinnedCredential() != null) {
            return null;
        }
        return affinity.leaseKept(call.request().session(), pool, call.servedModel(), bridge.servingKinds(call),
                call.tried());
    }

    private void use(GatewayCall call, Lease lease) {
        call.useLease(lease);
        affinity.served(call.request().session(), lease.credential());
    }

    private Lease waitForLease(GatewayCall call) throws Exception {
        return pool.lease(call.servedModel(), bridge.servingKinds(call), excluded(call), settings.queueMaxWait());
    }

    /**
     * The credentials this attempt may not use: those tried already, and for a request pinned to the credential that
     * holds the answer it continues, every other one (no other account knows that answer). A pin to a credential no
     * longer configured or disabled is dropped, and the upstream that is leased answers whether it knows the answer.
     */
    private Set<Credential> excluded(GatewayCall call) {
        String pinned = call.request().pinnedCredential();
        if (pinned == null) {
            return call.tried();
        }
        Set<Credential> excluded = new HashSet<>(call.tried());
        boolean holderUsable = false;
        for (Credential credential : pool.credentials()) {
            if (credential.name().equals(pinned) && credential.enabled()) {
                holderUsable = true;
            } else {
                excluded.add(credential);
            }
        }
        return holderUsable ? excluded : call.tried();
    }
}
