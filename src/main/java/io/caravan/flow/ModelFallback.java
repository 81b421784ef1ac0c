package io.caravan.flow;

import io.caravan.exchange.GatewayCall;
import io.caravan.pool.NoCredentialException;
import io.caravan.routing.RoutingTable;
import java.util.List;

/**
 * Moves a call that no credential of its model can serve to the next model of the requested model's fallback chain
 * (the credentials file's {@code fallbacks}). The pool says when that is: every credential of the model was tried
 * and failed (the rotation ran out), is cooling, is at its cap past the queue wait, or there is none (a model whose
 * credentials are all disabled, or one that only its fallbacks serve). A fallback is one more model to rotate into,
 * never a second chance for a failure that does not rotate: a 400, 404, 413 or 422 goes back to the caller as it
 * came, and the request's {@code caravan.request-retry} budget covers its fallbacks too.
 *
 * <p>Only the requested model's list is followed, in order, read once when the call first falls back (a reload
 * meanwhile does not change it); a fallback's own fallbacks are not. A fallback the client's allow-list does not
 * name is skipped: a fallback is no way around an allow-list. When no fallback can serve either, the caller is told
 * why the model it asked for could not.
 */
public final class ModelFallback {

    private final RoutingTable routing;

    public ModelFallback(RoutingTable routing) {
        this.routing = routing;
    }

    /**
     * After the pool leased no credential for the call's served model: moves the call to its next fallback model and
     * answers {@code null} (lease again), or answers the failure the leasing ends with.
     *
     * @param failure what the pool threw
     * @param reported what the caller would be told of it: the same, or the gateway's refusal of a request only other
     *     dialects' credentials could serve. For the requested model that refusal ends the request, as a caller's
     *     error does; for a fallback it only means that this one cannot serve.
     */
    Exception afterLeaseFailure(GatewayCall call, Exception failure, Exception reported) {
        if (!(failure instanceof NoCredentialException)) {
            return reported;
        }
        boolean fellBack = call.fellBack();
        if (!fellBack && !(reported instanceof NoCredentialException)) {
            return reported;
        }
        Exception requestedModelFailure = fellBack ? call.progress().requestedModelFailure() : reported;
        if (call.callerGone()) {
            return requestedModelFailure;
        }
        List<String> left = fellBack ? call.progress().fallbacksLeft() : routing.rules().fallbacks().of(call.model());
        for (int i = 0; i < left.size(); i++) {
            String next = left.get(i);
            if (call.allowedModels().allows(next)) {
                call.progress().fallBackTo(next, left.subList(i + 1, left.size()), requestedModelFailure);
                return null;
            }
        }
        return requestedModelFailure;
    }
}
