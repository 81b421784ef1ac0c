package io.caravan.reply;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.GatewayCall;
import io.caravan.support.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: request id, dialect, endpoint, model, credential, attempts, status, total time, time to
 * first byte, and the input and output tokens the answer cost as its upstream reported them. Written through the {@code caravan.access} logger (asynchronous in the shipped logback config, so the
 * request path never waits on the disk). Never contains keys or bodies, and every value a caller chose (the model,
 * a path) is written through {@link LogSafe}, so that no caller can forge a line or flood the log.
 */
public final class AccessLog {

    /** Milliseconds with one decimal. */
    private static void appendMillis(StringBuilder line, long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        line.append(tenths / 10).append('.').append(tenths % 10);
    }

    private static final Logger LOG = LoggerFactory.getLogger("caravan.access");

    /**
     * The line of a request no route took (unknown path, wrong method, body too large, no room): the gateway
     * answered it itself, so there is no model, credential or attempt, and no arrival time the router kept. The
     * method and path come last, so the fields every line shares keep their places.
     */
    public static void recordRouterAnswer(String requestId, Dialect dialect, String method, String path, int status) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(160)
                .append(requestId)
                .append(" dialect=").append(dialect.id())
                .append(" endpoint=- model=- stream=false credential=- attempts=0 status=").append(status)
                .append(" total_ms=- ttfb_ms=- method=");
        LogSafe.append(line, method);
        line.append(" path=");
        LogSafe.append(line, path);
        LOG.info(line.toString());
    }

    public void record(GatewayCall call) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // Built by hand: String.format costs more than the rest of the request's bookkeeping together.
        StringBuilder line = new StringBuilder(200)
                .append(call.requestId())
                .append(" dialect=").append(call.dialect().id())
                .append(" endpoint=").append(call.endpoint().logName())
                .append(" model=");
        LogSafe.append(line, call.model());
        line.append(" stream=").append(call.stream())
                .append(" credential=").append(call.lease() != null ? call.lease().credential().name() : "-")
                .append(" attempts=").append(call.attempts())
                .append(" status=").append(call.finalStatus())
                .append(" total_ms=");
        appendMillis(line, System.nanoTime() - call.startNanos());
        line.append(" ttfb_ms=");
        if (call.timeToFirstByteMillis() < 0) {
            line.append('-');
        } else {
            appendMillis(line, (long) (call.timeToFirstByteMillis() * 1e6));
        }
        TokenCounts usage = call.usage();
        line.append(" tokens_in=").append(usage.input()).append(" tokens_out=").append(usage.output());
        if (call.fellBack()) {
            // model= stays what the caller asked for; a fallback that served it is named after.
            line.append(" served_model=");
            LogSafe.append(line, call.servedModel());
        }
        LOG.info(line.toString());
    }
}
