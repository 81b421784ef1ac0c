package io.caravan.call;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: request id, dialect, endpoint, model, credential, attempts, status, total time and time to
 * first byte. Written through the {@code caravan.access} logger (asynchronous in the shipped logback config, so the
 * request path never waits on the disk). Never contains keys or bodies.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("caravan.access");

    public void record(GatewayCall call) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        double totalMillis = (System.nanoTime() - call.startNanos()) / 1e6;
        String credential = call.lease() != null ? call.lease().credential().name() : "-";
        LOG.info(String.format(Locale.ROOT,
                "%s dialect=%s endpoint=%s model=%s stream=%s credential=%s attempts=%d status=%d total_ms=%.1f ttfb_ms=%s",
                call.requestId(), call.dialect().id(), call.endpoint().logName(),
                call.model() == null ? "-" : call.model(), call.stream(), credential, call.attempts(),
                call.finalStatus(), totalMillis,
                call.timeToFirstByteMillis() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", call.timeToFirstByteMillis())));
    }
}
