package io.caravan.reply;

import io.caravan.clients.Admission;
import io.caravan.clients.ClientSpec;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Runs when the exchange is done, whichever way it ended: returns any lease still held (releasing is idempotent,
 * so a lease already released on its own path is untouched), makes sure the caller's response is ended, meters what
 * the request cost and writes the access-log line.
 */
public final class CallCompletion extends SynchronizationAdapter {

    private final GatewayCall call;
    private final AccessLog accessLog;
    private final UsageRecorder usage;
    private ClientSpec client;
    private Admission admission;

    public CallCompletion(GatewayCall call, AccessLog accessLog, UsageRecorder usage) {
        this.call = call;
        this.accessLog = accessLog;
        this.usage = usage;
    }

    /** The gate knows whose request this is: it is metered as that client's, refused or not. */
    public void identified(ClientSpec client) {
        this.client = client;
    }

    /** The client's limits admitted it, or refused it: a granted admission is given back when the request ends. */
    public void admitted(Admission admission) {
        this.admission = admission;
    }

    @Override
    public void onDone(Exchange exchange) {
        releaseIfHeld(call.lease());
        if (call.callerGone()) {
            // Ending a response whose connection is gone stops platform-http from writing to it later.
            call.channel().end();
        }
        usage.record(call, client, admission);
        accessLog.record(call);
        call.observer().callEnded(call, client);
    }

    private static void releaseIfHeld(Lease lease) {
        if (lease != null) {
            lease.release(Outcome.NEUTRAL);
        }
    }
}
