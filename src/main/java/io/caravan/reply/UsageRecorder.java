package io.caravan.reply;

import io.caravan.clients.Admission;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientSpec;
import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Lease;
import io.caravan.usage.UsageRecord;
import io.caravan.usage.UsageStore;

/**
 * What a request cost, once it is over: its tokens go to its client's limits and budget, and its record to the usage
 * store. Neither waits: the limiter counts in memory, the store writes behind.
 */
public final class UsageRecorder {

    /** Longer model names (a caller's invention) are cut: the store keys its totals by model. */
    private static final int MAX_MODEL_LENGTH = 128;
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
        long now = System.currentTimeMillis();
        TokenCounts tokens = call.usage();
        if (admission != null) {
            // Its tokens were charged as its answer reported them; a slot not freed by the answer's end is now.
            limiter.release(admission);
        }
        if (store == null || client == null) {
            return;
        }
        Lease lease = call.lease();
        String model = call.model() == null ? NO_MODEL : truncated(call.model());
        double totalMillis = (System.nanoTime() - call.startNanos()) / 1e6;
        store.record(new UsageRecord(now - (long) totalMillis, call.requestId(), client.name(), model,
                lease == null ? null : truncated(lease.credential().spec().upstreamModel(call.model())),
                lease == null ? null : lease.credential().name(), call.dialect().id(), call.endpoint().logName(),
                call.stream(), call.finalStatus(), call.attempts(), tokens, call.timeToFirstByteMillis(), totalMillis));
    }

    private static String truncated(String model) {
        return model.length() <= MAX_MODEL_LENGTH ? model : model.substring(0, MAX_MODEL_LENGTH);
    }
}
