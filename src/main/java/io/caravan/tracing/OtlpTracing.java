package io.caravan.tracing;

import io.caravan.config.CaravanSettings;
import io.caravan.config.ConfigurationException;
import io.caravan.exchange.CallObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caravan's traces: an OpenTelemetry SDK tracer provider of its own (never the global one), configured from
 * {@code caravan.tracing.*} alone, exporting over OTLP/HTTP with protobuf through the JDK's HTTP client. Finished
 * spans wait in the batch processor's bounded queue and are exported by its thread; a full queue drops spans
 * (counted, see {@link #droppedSpans()}) and never makes a request wait. {@link #close()} exports what is queued
 * and shuts the SDK down, within a bound.
 */
public final class OtlpTracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("caravan");
    /** The instrumentation scope of every span. */
    static final String SCOPE = "io.caravan";
    /** The path of OTLP/HTTP's trace export, appended to a base URL as {@code OTEL_EXPORTER_OTLP_ENDPOINT} is. */
    static final String TRACES_PATH = "/v1/traces";
    static final String ENDPOINT_SETTING = "caravan.tracing.otlp-endpoint";
    /** Longest string attribute value kept; longer ones are cut by the SDK. */
    static final int MAX_ATTRIBUTE_CHARS = 256;
    /** One export's bound: a collector that hangs holds the export thread this long, never a request. */
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);
    /** How long stopping waits for the last export. */
    private static final long CLOSE_WAIT_SECONDS = 5;
    private static final int MAX_EXPORT_BATCH = 512;
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

    private final SdkTracerProvider tracerProvider;
    private final SdkMeterProvider sdkMetrics;
    private final DroppedSpanCount dropped;
    private final CallObserver observer;

    private OtlpTracing(SdkTracerProvider tracerProvider, SdkMeterProvider sdkMetrics, DroppedSpanCount dropped) {
        this.tracerProvider = tracerProvider;
        this.sdkMetrics = sdkMetrics;
        this.dropped = dropped;
        String version = OtlpTracing.class.getPackage().getImplementationVersion();
        this.observer = new CallTracer(tracerProvider.tracerBuilder(SCOPE)
                .setInstrumentationVersion(version == null ? "" : version).build(),
                W3CTraceContextPropagator.getInstance());
    }

    /**
     * Starts exporting to {@code caravan.tracing.otlp-endpoint} (which must be set: see
     * {@link CaravanSettings.Tracing#enabled()}). A URL or header setting that cannot be used is a
     * {@link ConfigurationException} naming the setting, never a header's value.
     */
    public static OtlpTracing start(CaravanSettings.Tracing settings) {
        URI endpoint = tracesEndpoint(settings.getOtlpEndpoint());
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.toString())
                .setTimeout(EXPORT_TIMEOUT);
        OtlpHeaders.parse(settings.getOtlpHeaders()).forEach(exporter::addHeader);

        DroppedSpanCount dropped = new DroppedSpanCount();
        SdkMeterProvider sdkMetrics = SdkMeterProvider.builder().registerMetricReader(dropped).build();
        int queue = settings.getMaxQueuedSpans();
        BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter.build())
                .setScheduleDelay(Duration.ofMillis(settings.getExportIntervalMs()))
                .setMaxQueueSize(queue)
                .setMaxExportBatchSize(Math.min(queue, MAX_EXPORT_BATCH))
                .setExporterTimeout(EXPORT_TIMEOUT)
                .setMeterProvider(sdkMetrics)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                .build();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(resource(settings.getServiceName().trim()))
                // A caller's sampled flag decides for its trace; the ratio applies to the traces the gateway starts.
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.getSampleRatio())))
                .setSpanLimits(SpanLimits.builder().setMaxAttributeValueLength(MAX_ATTRIBUTE_CHARS).build())
                .addSpanProcessor(batches)
                .build();
        LOG.info("Traces are exported over OTLP to {}://{}{} as service {}, {} of new traces sampled",
                endpoint.getScheme(), endpoint.getHost(), endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort(),
                settings.getServiceName().trim(), settings.getSampleRatio());
        return new OtlpTracing(tracerProvider, sdkMetrics, dropped);
    }

    /** What the gateway's requests tell their lives to (the gate's {@code CallObserver}). */
    public CallObserver observer() {
        return observer;
    }

    /** Finished spans dropped since the start because the export queue was full. */
    public long droppedSpans() {
        return dropped.dropped();
    }

    /** Exports what is queued and stops the SDK, waiting at most a few seconds for a slow or absent collector. */
    @Override
    public void close() {
        CompletableResultCode stopped = tracerProvider.shutdown().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (!stopped.isSuccess()) {
            LOG.warn("Traces: the last spans could not all be exported before the gateway stopped");
        }
        long lost = droppedSpans();
        if (lost > 0) {
            LOG.warn("Traces: {} spans were dropped because the export queue (caravan.tracing.max-queued-spans) was "
                    + "full", lost);
        }
        sdkMetrics.shutdown().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The resource every span is of: {@code service.name}, and {@code service.version} when the jar says it. */
    private static Resource resource(String serviceName) {
        ResourceBuilder own = Resource.builder().put(SERVICE_NAME, serviceName);
        String version = OtlpTracing.class.getPackage().getImplementationVersion();
        if (version != null) {
            own.put(SERVICE_VERSION, version);
        }
        return Resource.getDefault().merge(own.build());
    }

    /** The export URL: the setting, with {@value #TRACES_PATH} appended unless it ends with it already. */
    static URI tracesEndpoint(String setting) {
        URI base;
        try {
            base = new URI(setting.trim());
        } catch (java.net.URISyntaxException unparsable) {
            throw new ConfigurationException("Invalid setting " + ENDPOINT_SETTING + ": not a URL");
        }
        String scheme = base.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || base.getHost() == null) {
            throw new ConfigurationException("Invalid setting " + ENDPOINT_SETTING
                    + ": must be an http:// or https:// URL, such as http://127.0.0.1:4318, or empty for no traces");
        }
        if (base.getUserInfo() != null || base.getQuery() != null || base.getFragment() != null) {
            throw new ConfigurationException("Invalid setting " + ENDPOINT_SETTING
                    + ": must have no user, query or fragment (credentials go in caravan.tracing.otlp-headers)");
        }
        String path = base.getPath() == null ? "" : base.getPath();
        if (path.endsWith(TRACES_PATH)) {
            return base;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return base.resolve(trimmed + TRACES_PATH);
    }
}
