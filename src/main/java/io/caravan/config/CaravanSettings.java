package io.caravan.config;

import io.caravan.dialect.TranslationSettings;
import io.caravan.usage.StoreSettings;
import java.util.List;
import java.util.Locale;

/**
 * Every {@code caravan.*} setting as one tree, bound by Camel's property binding ({@link SettingsBinder}): a key's
 * dashed path names the getter chain, so {@code caravan.timeout.connect-ms} sets {@code getTimeout().setConnectMs}.
 * The fields carry no defaults on purpose: the only defaults are in {@value SettingsBinder#DEFAULTS_RESOURCE},
 * shipped inside the jar, and a setting missing there is reported at start like any bad value.
 */
public class CaravanSettings {

    /** {@code caravan.demo}: the built-in demo model. */
    public enum DemoMode {
        /** Only when no credential is configured. */
        AUTO,
        ON,
        OFF
    }

    private String credentialsFile;
    private String clientKeys;
    private String clientsFile;
    private String adminKeys;
    private String demo;
    private Integer requestRetry;
    private Long keepAliveMs;
    private Integer maxInFlight;
    private Integer prestartedWorkers;
    private Integer eventLoops;
    private final Timeout timeout = new Timeout();
    private final Queue queue = new Queue();
    private final Cooldown cooldown = new Cooldown();
    private final Listener listener = new Listener();
    private final Server server = new Server();
    private final Shutdown shutdown = new Shutdown();
    private final Limits limits = new Limits();
    private final Upstream upstream = new Upstream();
    private final Translation translation = new Translation();
    private final Routes routes = new Routes();
    private final KeptResponses responseStore = new KeptResponses();
    private final Responses responses = new Responses();
    private final Store store = new Store();
    private final Reload reload = new Reload();
    private final Tracing tracing = new Tracing();
    private final Metrics metrics = new Metrics();

    /** Every problem with the bound values, one line each naming the property; empty when the tree is usable. */
    List<String> problems() {
        Problems p = new Problems("caravan.");
        if (p.present("credentials-file", credentialsFile) && credentialsFile.isBlank()) {
            p.add("credentials-file", "is empty (name a file; a missing one is allowed)");
        }
        p.present("client-keys", clientKeys);
        if (p.present("clients-file", clientsFile) && clientsFile.isBlank()) {
            p.add("clients-file", "is empty (name a file; a missing one is allowed)");
        }
        p.present("admin-keys", adminKeys);
        if (p.present("demo", demo) && demoMode() == null) {
            p.add("demo", "must be auto, on or off, got '" + demo + "'");
        }
        p.atLeast("request-retry", requestRetry, 0);
        p.atLeast("keep-alive-ms", keepAliveMs, 1);
        p.atLeast("max-in-flight", maxInFlight, 1);
        p.atLeast("prestarted-workers", prestartedWorkers, 0);
        p.atLeast("event-loops", eventLoops, 0);
        timeout.check(p.group("timeout."));
        queue.check(p.group("queue."));
        cooldown.check(p.group("cooldown."));
        listener.check(p.group("listener."));
        server.check(p.group("server."));
        shutdown.check(p.group("shutdown."));
        limits.check(p.group("limits."));
        upstream.check(p.group("upstream."));
        translation.check(p.group("translation."));
        routes.check(p.group("routes."));
        responseStore.check(p.group("response-store."));
        responses.check(p.group("responses."));
        store.check(p.group("store."));
        reload.check(p.group("reload."));
        tracing.check(p.group("tracing."));
        metrics.check(p.group("metrics."));
        return p.lines();
    }

    /** The demo mode, or null when {@code caravan.demo} is not one of them. */
    public DemoMode demoMode() {
        try {
            return DemoMode.valueOf(demo.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    public String getCredentialsFile() {
        return credentialsFile;
    }

    public void setCredentialsFile(String credentialsFile) {
        this.credentialsFile = credentialsFile;
    }

    public String getClientKeys() {
        return clientKeys;
    }

    public void setClientKeys(String clientKeys) {
        this.clientKeys = clientKeys;
    }

    public String getDemo() {
        return demo;
    }

    public void setDemo(String demo) {
        this.demo = demo;
    }

    public String getClientsFile() {
        return clientsFile;
    }

    public void setClientsFile(String clientsFile) {
        this.clientsFile = clientsFile;
    }

    public String getAdminKeys() {
        return adminKeys;
    }

    public void setAdminKeys(String adminKeys) {
        this.adminKeys = adminKeys;
    }

    public Integer getRequestRetry() {
        return requestRetry;
    }

    public void setRequestRetry(Integer requestRetry) {
        this.requestRetry = requestRetry;
    }

    public Long getKeepAliveMs() {
        return keepAliveMs;
    }

    public void setKeepAliveMs(Long keepAliveMs) {
        this.keepAliveMs = keepAliveMs;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Integer getPrestartedWorkers() {
        return prestartedWorkers;
    }

    public void setPrestartedWorkers(Integer prestartedWorkers) {
        this.prestartedWorkers = prestartedWorkers;
    }

    public Integer getEventLoops() {
        return eventLoops;
    }

    public void setEventLoops(Integer eventLoops) {
        this.eventLoops = eventLoops;
    }

    public Timeout getTimeout() {
        return timeout;
    }

    public Queue getQueue() {
        return queue;
    }

    public Cooldown getCooldown() {
        return cooldown;
    }

    public Listener getListener() {
        return listener;
    }

    public Server getServer() {
        return server;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Limits getLimits() {
        return limits;
    }

    public Upstream getUpstream() {
        return upstream;
    }

    public Translation getTranslation() {
        return translation;
    }

    public KeptResponses getResponseStore() {
        return responseStore;
    }

    public Routes getRoutes() {
        return routes;
    }

    public Store getStore() {
        return store;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Responses getResponses() {
        return responses;
    }

    public Reload getReload() {
        return reload;
    }

    /** {@code caravan.reload.*}: watching the credentials file and the clients file for changes. */
    public static class Reload {
        private Long intervalMs;

        void check(Problems p) {
            p.atLeast("interval-ms", intervalMs, 0);
        }

        public Long getIntervalMs() {
            return intervalMs;
        }

        public void setIntervalMs(Long intervalMs) {
            this.intervalMs = intervalMs;
        }
    }

    public Tracing getTracing() {
        return tracing;
    }

    /** {@code caravan.timeout.*}: time-outs towards the upstreams. */
    public static class Timeout {
        private Long connectMs;
        private Long firstByteMs;
        private Long answerMs;
        private Long stallMs;
        private Long idleMs;
        private Long requestMs;

        void check(Problems p) {
            p.atLeast("connect-ms", connectMs, 1);
            p.atLeast("first-byte-ms", firstByteMs, 1);
            p.atLeast("answer-ms", answerMs, 1);
            p.atLeast("stall-ms", stallMs, 1);
            p.atLeast("idle-ms", idleMs, 1);
            p.atLeast("request-ms", requestMs, 1);
        }

        public Long getConnectMs() {
            return connectMs;
        }

        public void setConnectMs(Long connectMs) {
            this.connectMs = connectMs;
        }

        public Long getFirstByteMs() {
            return firstByteMs;
        }

        public void setFirstByteMs(Long firstByteMs) {
            this.firstByteMs = firstByteMs;
        }

        public Long getAnswerMs() {
            return answerMs;
        }

        public void setAnswerMs(Long answerMs) {
            this.answerMs = answerMs;
        }

        public Long getStallMs() {
            return stallMs;
        }

        public void setStallMs(Long stallMs) {
            this.stallMs = stallMs;
        }

        public Long getIdleMs() {
            return idleMs;
        }

        public void setIdleMs(Long idleMs) {
            this.idleMs = idleMs;
        }

        public Long getRequestMs() {
            return requestMs;
        }

        public void setRequestMs(Long requestMs) {
            this.requestMs = requestMs;
        }
    }

    /** {@code caravan.queue.*}: requests waiting for a credential. */
    public static class Queue {
        private Long maxWaitMs;
        private Integer maxWaiting;

        void check(Problems p) {
            p.atLeast("max-wait-ms", maxWaitMs, 0);
            p.atLeast("max-waiting", maxWaiting, 0);
        }

        public Long getMaxWaitMs() {
            return maxWaitMs;
        }

        public void setMaxWaitMs(Long maxWaitMs) {
            this.maxWaitMs = maxWaitMs;
        }

        public Integer getMaxWaiting() {
            return maxWaiting;
        }

        public void setMaxWaiting(Integer maxWaiting) {
            this.maxWaiting = maxWaiting;
        }
    }

    /** {@code caravan.cooldown.*}: how long failing credentials stay out of rotation. */
    public static class Cooldown {
        private Long transientMs;
        private Long rateLimitBaseMs;
        private Long rateLimitMaxMs;
        private Long quarantineMs;

        void check(Problems p) {
            p.atLeast("transient-ms", transientMs, 0);
            p.atLeast("rate-limit-base-ms", rateLimitBaseMs, 0);
            p.atLeast("rate-limit-max-ms", rateLimitMaxMs, 0);
            p.atLeast("quarantine-ms", quarantineMs, 0);
        }

        public Long getTransientMs() {
            return transientMs;
        }

        public void setTransientMs(Long transientMs) {
            this.transientMs = transientMs;
        }

        public Long getRateLimitBaseMs() {
            return rateLimitBaseMs;
        }

        public void setRateLimitBaseMs(Long rateLimitBaseMs) {
            this.rateLimitBaseMs = rateLimitBaseMs;
        }

        public Long getRateLimitMaxMs() {
            return rateLimitMaxMs;
        }

        public void setRateLimitMaxMs(Long rateLimitMaxMs) {
            this.rateLimitMaxMs = rateLimitMaxMs;
        }

        public Long getQuarantineMs() {
            return quarantineMs;
        }

        public void setQuarantineMs(Long quarantineMs) {
            this.quarantineMs = quarantineMs;
        }
    }

    /** {@code caravan.listener.*}: the callers' connections. */
    public static class Listener {
        private Long idleTimeoutMs;
        private Long headerTimeoutMs;
        private Long bodyTimeoutMs;
        private Integer maxConnections;

        void check(Problems p) {
            p.atLeast("idle-timeout-ms", idleTimeoutMs, 1);
            p.atLeast("header-timeout-ms", headerTimeoutMs, 1);
            p.atLeast("body-timeout-ms", bodyTimeoutMs, 1);
            p.atLeast("max-connections", maxConnections, 1);
        }

        public Long getIdleTimeoutMs() {
            return idleTimeoutMs;
        }

        public void setIdleTimeoutMs(Long idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
        }

        public Long getHeaderTimeoutMs() {
            return headerTimeoutMs;
        }

        public void setHeaderTimeoutMs(Long headerTimeoutMs) {
            this.headerTimeoutMs = headerTimeoutMs;
        }

        public Long getBodyTimeoutMs() {
            return bodyTimeoutMs;
        }

        public void setBodyTimeoutMs(Long bodyTimeoutMs) {
            this.bodyTimeoutMs = bodyTimeoutMs;
        }

        public Integer getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }
    }

    /** {@code caravan.shutdown.*}. */
    /**
     * The gateway's own server, when it is embedded in another application (the standalone jar is the application
     * and serves on {@code camel.server.*}).
     */
    public static class Server {
        private String host;
        private Integer port;
        private Long maxBodySize;

        void check(Problems p) {
            if (p.present("host", host) && host.isBlank()) {
                p.add("host", "is empty (0.0.0.0 for every interface, 127.0.0.1 for this machine only)");
            }
            if (p.atLeast("port", port, 0) && port > 65535) {
                p.add("port", "must be at most 65535, got " + port);
            }
            p.atLeast("max-body-size", maxBodySize, 1);
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public Long getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(Long maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    public static class Shutdown {
        private Long drainMs;

        void check(Problems p) {
            p.atLeast("drain-ms", drainMs, 0);
        }

        public Long getDrainMs() {
            return drainMs;
        }

        public void setDrainMs(Long drainMs) {
            this.drainMs = drainMs;
        }
    }

    /** {@code caravan.response-store.*}: the bounds of the answers kept for {@code previous_response_id}. */
    public static class KeptResponses {
        private Integer maxEntries;
        private Long maxBytes;
        private Long ttlMinutes;

        void check(Problems p) {
            p.atLeast("max-entries", maxEntries, 0);
            p.atLeast("max-bytes", maxBytes, 0);
            p.atLeast("ttl-minutes", ttlMinutes, 1);
        }

        public Integer getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(Integer maxEntries) {
            this.maxEntries = maxEntries;
        }

        public Long getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(Long maxBytes) {
            this.maxBytes = maxBytes;
        }

        public Long getTtlMinutes() {
            return ttlMinutes;
        }

        public void setTtlMinutes(Long ttlMinutes) {
            this.ttlMinutes = ttlMinutes;
        }
    }

    /** {@code caravan.limits.*}: memory bounds for upstream answers. */
    public static class Limits {
        private Integer maxAnswerBytes;
        private Integer maxEventBytes;

        void check(Problems p) {
            p.atLeast("max-answer-bytes", maxAnswerBytes, 1);
            p.atLeast("max-event-bytes", maxEventBytes, 1);
        }

        public Integer getMaxAnswerBytes() {
            return maxAnswerBytes;
        }

        public void setMaxAnswerBytes(Integer maxAnswerBytes) {
            this.maxAnswerBytes = maxAnswerBytes;
        }

        public Integer getMaxEventBytes() {
            return maxEventBytes;
        }

        public void setMaxEventBytes(Integer maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
        }
    }

    /** {@code caravan.upstream.*}. */
    public static class Upstream {
        private Integer maxConnectionsPerHost;

        void check(Problems p) {
            p.atLeast("max-connections-per-host", maxConnectionsPerHost, 1);
        }

        public Integer getMaxConnectionsPerHost() {
            return maxConnectionsPerHost;
        }

        public void setMaxConnectionsPerHost(Integer maxConnectionsPerHost) {
            this.maxConnectionsPerHost = maxConnectionsPerHost;
        }
    }

    /** {@code caravan.translation.*}: translation between the dialects. */
    public static class Translation {
        private Boolean enabled;
        private Integer defaultMaxTokens;
        private Boolean omitUnservableTools;
        private final ThinkingBudget thinkingBudget = new ThinkingBudget();

        void check(Problems p) {
            p.present("enabled", enabled);
            p.present("omit-unservable-tools", omitUnservableTools);
            boolean complete = p.atLeast("default-max-tokens", defaultMaxTokens, 1)
                    & thinkingBudget.check(p.group("thinking-budget."));
            if (complete) {
                try {
                    translationSettings();
                } catch (IllegalArgumentException e) {
                    p.add("thinking-budget", e.getMessage());
                }
            }
        }

        /** The translators' view of this group. */
        public TranslationSettings translationSettings() {
            return new TranslationSettings(defaultMaxTokens, thinkingBudget.low, thinkingBudget.medium,
                    thinkingBudget.high, Boolean.TRUE.equals(omitUnservableTools));
        }

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Boolean getOmitUnservableTools() {
            return omitUnservableTools;
        }

        public void setOmitUnservableTools(Boolean omitUnservableTools) {
            this.omitUnservableTools = omitUnservableTools;
        }

        public Integer getDefaultMaxTokens() {
            return defaultMaxTokens;
        }

        public void setDefaultMaxTokens(Integer defaultMaxTokens) {
            this.defaultMaxTokens = defaultMaxTokens;
        }

        public ThinkingBudget getThinkingBudget() {
            return thinkingBudget;
        }
    }

    /**
     * {@code caravan.translation.thinking-budget.*}: Anthropic budgets for OpenAI's reasoning efforts. Anthropic's
     * minimum and their order are {@link TranslationSettings}'s to check.
     */
    public static class ThinkingBudget {
        private Integer low;
        private Integer medium;
        private Integer high;

        boolean check(Problems p) {
            return p.atLeast("low", low, 1) & p.atLeast("medium", medium, 1) & p.atLeast("high", high, 1);
        }

        public Integer getLow() {
            return low;
        }

        public void setLow(Integer low) {
            this.low = low;
        }

        public Integer getMedium() {
            return medium;
        }

        public void setMedium(Integer medium) {
            this.medium = medium;
        }

        public Integer getHigh() {
            return high;
        }

        public void setHigh(Integer high) {
            this.high = high;
        }
    }

    /** {@code caravan.routes.*}. */
    public static class Routes {
        private String blocking;

        void check(Problems p) {
            p.present("blocking", blocking);
        }

        public String getBlocking() {
            return blocking;
        }

        public void setBlocking(String blocking) {
            this.blocking = blocking;
        }
    }

    /** {@code caravan.responses.*}: the Responses API's own settings. */
    public static class Responses {
        private final Websocket websocket = new Websocket();

        void check(Problems p) {
            websocket.check(p.group("websocket."));
        }

        public Websocket getWebsocket() {
            return websocket;
        }
    }

    /** {@code caravan.responses.websocket.*}: the Responses API's WebSocket mode. */
    public static class Websocket {
        private Boolean enabled;
        private Long idleTimeoutMs;

        void check(Problems p) {
            p.present("enabled", enabled);
            p.atLeast("idle-timeout-ms", idleTimeoutMs, 1);
        }

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Long getIdleTimeoutMs() {
            return idleTimeoutMs;
        }

        public void setIdleTimeoutMs(Long idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
        }
    }

    /** {@code caravan.metrics.*}: {@code GET /metrics}, in Prometheus's text format. */
    public static class Metrics {
        private Boolean enabled;
        private Boolean open;
        private Integer maxModels;

        void check(Problems p) {
            p.present("enabled", enabled);
            p.present("public", open);
            p.atLeast("max-models", maxModels, 0);
        }

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** {@code caravan.metrics.public}: whether a scrape needs no admin key. */
        public Boolean getPublic() {
            return open;
        }

        public void setPublic(Boolean open) {
            this.open = open;
        }

        public Integer getMaxModels() {
            return maxModels;
        }

        public void setMaxModels(Integer maxModels) {
            this.maxModels = maxModels;
        }
    }

    /** Collects problems under a key prefix, so each group names its keys relative to itself. */
    /** {@code caravan.store.*}: the database usage is metered into, and runtime client keys are kept in. */
    public static class Store {
        private String url;
        private String username;
        private String password;
        private Long flushIntervalMs;
        private Integer maxPending;
        private Integer requestRetentionDays;
        private Integer minuteRetentionDays;

        void check(Problems p) {
            if (p.present("url", url) && !url.isBlank() && !url.startsWith("jdbc:")) {
                p.add("url", "must be a JDBC URL (jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB), or empty for none");
            }
            p.present("username", username);
            p.present("password", password);
            p.atLeast("flush-interval-ms", flushIntervalMs, 10);
            p.atLeast("max-pending", maxPending, 1);
            p.atLeast("request-retention-days", requestRetentionDays, 1);
            p.atLeast("minute-retention-days", minuteRetentionDays, 1);
        }

        /** Whether a database is configured: an empty URL meters nothing and keeps no runtime client keys. */
        public boolean enabled() {
            return !url.isBlank();
        }

        /** The usage store's view of these settings (no user or password when they are empty). */
        public StoreSettings storeSettings() {
            return new StoreSettings(url.trim(), blankToNull(username), blankToNull(password), flushIntervalMs,
                    maxPending, requestRetentionDays, minuteRetentionDays);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Long getFlushIntervalMs() {
            return flushIntervalMs;
        }

        public void setFlushIntervalMs(Long flushIntervalMs) {
            this.flushIntervalMs = flushIntervalMs;
        }

        public Integer getMaxPending() {
            return maxPending;
        }

        public void setMaxPending(Integer maxPending) {
            this.maxPending = maxPending;
        }

        public Integer getRequestRetentionDays() {
            return requestRetentionDays;
        }

        public void setRequestRetentionDays(Integer requestRetentionDays) {
            this.requestRetentionDays = requestRetentionDays;
        }

        public Integer getMinuteRetentionDays() {
            return minuteRetentionDays;
        }

        public void setMinuteRetentionDays(Integer minuteRetentionDays) {
            this.minuteRetentionDays = minuteRetentionDays;
        }
    }

    /**
     * {@code caravan.tracing.*}: OpenTelemetry traces exported over OTLP/HTTP. The endpoint and the headers are
     * checked by {@code io.caravan.tracing}, which alone knows their syntax and never repeats a header's value.
     */
    public static class Tracing {
        private String otlpEndpoint;
        private String otlpHeaders;
        private String serviceName;
        private Double sampleRatio;
        private Long exportIntervalMs;
        private Integer maxQueuedSpans;

        void check(Problems p) {
            p.present("otlp-endpoint", otlpEndpoint);
            p.present("otlp-headers", otlpHeaders);
            if (p.present("service-name", serviceName) && serviceName.isBlank()) {
                p.add("service-name", "is empty");
            }
            if (p.present("sample-ratio", sampleRatio) && !(sampleRatio >= 0 && sampleRatio <= 1)) {
                p.add("sample-ratio", "must be between 0 and 1, got " + sampleRatio);
            }
            p.atLeast("export-interval-ms", exportIntervalMs, 1);
            p.atLeast("max-queued-spans", maxQueuedSpans, 1);
        }

        /** Whether traces are exported at all: an empty endpoint turns tracing off. */
        public boolean enabled() {
            return !otlpEndpoint.isBlank();
        }

        public String getOtlpEndpoint() {
            return otlpEndpoint;
        }

        public void setOtlpEndpoint(String otlpEndpoint) {
            this.otlpEndpoint = otlpEndpoint;
        }

        public String getOtlpHeaders() {
            return otlpHeaders;
        }

        public void setOtlpHeaders(String otlpHeaders) {
            this.otlpHeaders = otlpHeaders;
        }

        public String getServiceName() {
            return serviceName;
        }

        public void setServiceName(String serviceName) {
            this.serviceName = serviceName;
        }

        public Double getSampleRatio() {
            return sampleRatio;
        }

        public void setSampleRatio(Double sampleRatio) {
            this.sampleRatio = sampleRatio;
        }

        public Long getExportIntervalMs() {
            return exportIntervalMs;
        }

        public void setExportIntervalMs(Long exportIntervalMs) {
            this.exportIntervalMs = exportIntervalMs;
        }

        public Integer getMaxQueuedSpans() {
            return maxQueuedSpans;
        }

        public void setMaxQueuedSpans(Integer maxQueuedSpans) {
            this.maxQueuedSpans = maxQueuedSpans;
        }
    }

    static final class Problems {
        private final String prefix;
        private final List<String> lines;

        Problems(String prefix) {
            this(prefix, new java.util.ArrayList<>());
        }

        private Problems(String prefix, List<String> lines) {
            this.prefix = prefix;
            this.lines = lines;
        }

        Problems group(String name) {
            return new Problems(prefix + name, lines);
        }

        void add(String key, String problem) {
            lines.add(prefix + key + ": " + problem);
        }

        boolean present(String key, Object value) {
            if (value == null) {
                add(key, "has no value");
                return false;
            }
            return true;
        }

        boolean atLeast(String key, Number value, long minimum) {
            if (!present(key, value)) {
                return false;
            }
            if (value.longValue() < minimum) {
                add(key, (minimum == 0 ? "must not be negative" : "must be at least " + minimum) + ", got " + value);
                return false;
            }
            return true;
        }

        List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
