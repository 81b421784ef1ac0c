package io.caravan.exchange;

import io.caravan.clients.ClientSpec;
import io.caravan.pool.Credential;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Hears each caller request's life, for metrics and traces: its arrival, every upstream attempt, its end. Called on
 * the request's own threads (event loops mostly), so an observer only records: it never blocks and never throws.
 * Per-request state an observer needs rides on the call ({@link GatewayCall#telemetry()}).
 */
public interface CallObserver {

    /** Observes nothing. */
    CallObserver NONE = new CallObserver() { };

    /**
     * The gate took the request, before reading or checking it.
     *
     * @param callerHeader the caller's request headers by name (for the trace context it sent)
     */
    default void callArrived(GatewayCall call, Function<String, String> callerHeader) {
    }

    /**
     * An attempt is about to be sent with {@code credential}.
     *
     * @param upstreamHeader sets a header on this attempt's upstream request (trace context, say)
     */
    default void attemptStarted(GatewayCall call, Credential credential, BiConsumer<String, String> upstreamHeader) {
    }

    /**
     * The attempt is settled: the answer (or a stream's head) is in hand, or it failed.
     *
     * @param status the upstream's status; for a fault, the status its caller would see (502, 504)
     * @param failure why it failed ({@code UpstreamFailure}, {@code CallerGoneException}, ...), {@code null} when
     *     it succeeded
     */
    default void attemptEnded(GatewayCall call, Credential credential, int status, Throwable failure) {
    }

    /**
     * The request is over and its answer written, whichever way it ended.
     *
     * @param client whose key it carried, {@code null} when none was known
     */
    default void callEnded(GatewayCall call, ClientSpec client) {
    }

    /** One observer telling each of {@code observers} in turn. */
    static CallObserver all(List<CallObserver> observers) {
        List<CallObserver> each = List.copyOf(observers);
        if (each.isEmpty()) {
            return NONE;
        }
        if (each.size() == 1) {
            return each.get(0);
        }
        return new CallObserver() {
            @Override
            public void callArrived(GatewayCall call, Function<String, String> callerHeader) {
                for (CallObserver observer : each) {
                    observer.callArrived(call, callerHeader);
                }
            }

            @Override
            public void attemptStarted(GatewayCall call, Credential credential,
                    BiConsumer<String, String> upstreamHeader) {
                for (CallObserver observer : each) {
                    observer.attemptStarted(call, credential, upstreamHeader);
                }
            }

            @Override
            public void attemptEnded(GatewayCall call, Credential credential, int status, Throwable failure) {
                for (CallObserver observer : each) {
                    observer.attemptEnded(call, credential, status, failure);
                }
            }

            @Override
            public void callEnded(GatewayCall call, ClientSpec client) {
                for (CallObserver observer : each) {
                    observer.callEnded(call, client);
                }
            }
        };
    }
}
