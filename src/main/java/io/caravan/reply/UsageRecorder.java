package io.caravan.reply;

import io.caravan.clients.Admission;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientSpec;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Lease;
import io.caravan.usage.UsageRecord;
import io.caravan.usage.UsageStore;

/**
 * What a request cost, once it is over: its tokens go to its client's limits and budget, and its record to the usage
 * store. Neither waits: the limiter counts in memory, the store writes behind.
 */
public final class UsageRecorder {

    /** The model of a request refused before its body named one. */
    private static final String NO_MODEL = "-";

    private final ClientLimiter limiter;
    private final UsageStore store;

    /** @param store where records go, {@code null} when no database is configured (nothing is metered) */
    public UsageRecorder(ClientLimiter limiter, UsageStore store) {
        this.limiter = limiter;
        this.store = store;
    }

    /**
     * @param client the client the request was made as, {@code null} when it presented no known key (not metered:
     *     there is no one to charge, and unknown callers must not fill the database)
     * @param admission its admission, {@code null} when it was refused before its limits were asked
     */
    public void record(GatewayCall call, ClientSpec client, Admission admission) {
        if (admission != null) {
            // Its tokens were charged as its answer reported them; a slot not freed by the answer's end is now.
            limiter.release(admission);
        }
        if (store == null || client == null) {
            return;
        }
        // Names a caller chose (an odd or endless model) are the store's to make safe for its columns.
        Lease lease = call.lease();
        // Under the model that served: a fallback's tokens are the fallback's.
        String model = call.servedModel();
        double totalMillis = (System.nanoTime() - call.startNanos()) / 1e6;
        store.record(new UsageRecord(System.currentTimeMillis() - (long) totalMillis, call.requestId(), client.name(),
                model == null ? NO_MODEL : model,
                lease == null ? null : lease.credential().spec().upstreamModel(model),
                lease == null ? null : lease.credential().name(), call.dialect().id(), call.endpoint().logName(),
                call.stream(), call.finalStatus(), call.attempts(), call.usage(), call.timeToFirstByteMillis(),
                totalMillis));
    }
}
