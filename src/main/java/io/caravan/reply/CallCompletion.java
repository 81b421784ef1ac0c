package io.caravan.reply;

import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Runs when the exchange is done, whichever way it ended: returns any lease still held (releasing is idempotent,
 * so a lease already released on its own path is untouched), makes sure the caller's response is ended, and
 * writes the access-log line.
 */
public final class CallCompletion extends SynchronizationAdapter {

    private final GatewayCall call;
    private final AccessLog accessLog;

    public CallCompletion(GatewayCall call, AccessLog accessLog) {
        this.call = call;
        this.accessLog = accessLog;
    }

    @Override
    public void onDone(Exchange exchange) {
        releaseIfHeld(call.lease());
        if (call.callerGone()) {
            // Ending a response whose connection is gone stops platform-http from writing to it later.
            call.channel().end();
        }
        accessLog.record(call);
    }

    private static void releaseIfHeld(Lease lease) {
        if (lease != null) {
            lease.release(Outcome.NEUTRAL);
        }
    }
}
