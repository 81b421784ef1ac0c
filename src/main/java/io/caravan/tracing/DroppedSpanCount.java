package io.caravan.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads, when asked, how many finished spans the batch processor dropped because its queue was full: the SDK counts
 * them in its own {@code otel.sdk.processor.span.processed} metric (with {@code error.type=queue_full}), and this is
 * the reader of the small meter provider that metric is kept in. Nothing is exported from it.
 */
final class DroppedSpanCount implements MetricReader {

    static final String PROCESSED_METRIC = "otel.sdk.processor.span.processed";
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final String QUEUE_FULL = "queue_full";

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    /** Spans dropped since the start. */
    long dropped() {
        long dropped = 0;
        for (MetricData metric : registration.collectAllMetrics()) {
            if (!metric.getName().equals(PROCESSED_METRIC)) {
                continue;
            }
            for (LongPointData point : metric.getLongSumData().getPoints()) {
                if (QUEUE_FULL.equals(point.getAttributes().get(ERROR_TYPE))) {
                    dropped += point.getValue();
                }
            }
        }
        return dropped;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
