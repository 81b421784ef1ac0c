package io.caravan.routes;

/**
 * Registry names of the gateway's beans, as the routes refer to them. {@link #VERTX} and {@link #CREDENTIAL_POOL}
 * are there for routes and applications around the gateway (a YAML route may call the pool as a bean).
 */
public final class Beans {

    /**
     * The platform-http component the gateway's HTTP routes consume from ({@code caravan-http:/v1/...}): the
     * gateway's own, on its own server when it is embedded, so the application's {@code platform-http} stays the
     * application's.
     */
    public static final String HTTP = "caravan-http";
    public static final String VERTX = "vertx";
    public static final String CREDENTIAL_POOL = "credentialPool";
    public static final String LEASE_CREDENTIAL = "leaseCredential";
    public static final String UNARY_UPSTREAM_CALL = "unaryUpstreamCall";
    public static final String STREAM_UPSTREAM_CALL = "streamUpstreamCall";
    public static final String CREDENTIAL_ROTATION = "credentialRotation";
    public static final String FAILURE_REPLY = "failureReply";
    public static final String SERVICE_ENDPOINTS = "serviceEndpoints";
    public static final String MODEL_ACTION_PATH = "modelActionPath";
    public static final String STORED_RESPONSES = "storedResponses";
    public static final String LOCAL_TOKEN_COUNT = "localTokenCount";
    public static final String CALLER_ACCOUNT = "callerAccount";
    public static final String ADMIN_CLIENTS = "adminClients";
    public static final String ADMIN_USAGE = "adminUsage";
    public static final String ADMIN_CREDENTIALS = "adminCredentials";
    public static final String ADMIN_CONFIG = "adminConfig";
    /** The {@code ConfigReloader}: for applications around the gateway that reload or hear reloads. */
    public static final String CONFIG_RELOADER = "configReloader";
    public static final String METRICS = "metrics";
    public static final String GATEWAY_METRICS = "gatewayMetrics";
    public static final String DASHBOARD_ASSETS = "dashboardAssets";
    public static final String BEFORE_UPSTREAM_HOOK_THREAD = "beforeUpstreamHookThread";
    public static final String AFTER_RESPONSE_HOOK_THREAD = "afterResponseHookThread";

    private Beans() {
    }
}
