package io.caravan.dialect;

/**
 * One caller-facing endpoint of a dialect: where it listens, what operation it asks for, and the one request rule
 * that differs between dialects.
 *
 * @param dialect       the dialect its callers speak
 * @param operation     what it asks of the upstream
 * @param path          the HTTP path it listens on ({@code POST})
 * @param routeId       the Camel route id, also the prefix of its gate bean's name
 * @param logName       its name in the access log
 * @param requiredArray the top-level array every request must carry ({@code messages}), or {@code null}
 * @param streams       whether every answer of this endpoint is streamed, for a dialect that asks for a stream by
 *                      the path ({@code :streamGenerateContent}) instead of a {@code stream} flag in the body
 */
public record Endpoint(Dialect dialect, Operation operation, String path, String routeId, String logName,
                       String requiredArray, boolean streams) {

    /**
     * Where a path names its model and the action asked of it, Google's way: {@code /v1beta/models/{model}:action}.
     * Such endpoints share one route per path prefix, which sends each request on by its action.
     */
    public static final String MODEL_ACTION = "{model}:";

    /** An endpoint whose requests ask for a stream with the body's {@code stream} flag, if at all. */
    public Endpoint(Dialect dialect, Operation operation, String path, String routeId, String logName,
                    String requiredArray) {
        this(dialect, operation, path, routeId, logName, requiredArray, false);
    }

    /** Whether the path names the model and an action ({@link #MODEL_ACTION}). */
    public boolean namesModelInPath() {
        return path.contains(MODEL_ACTION);
    }

    /** For a path that names its model: the part before the model, e.g. {@code /v1beta/models/}. */
    public String pathPrefix() {
        return path.substring(0, path.indexOf(MODEL_ACTION));
    }

    /** For a path that names its model: the action after it, e.g. {@code generateContent}. */
    public String action() {
        return path.substring(path.indexOf(MODEL_ACTION) + MODEL_ACTION.length());
    }

    /** The registry name of the processor that admits this endpoint's requests. */
    public String gateBean() {
        return routeId + "-gate";
    }

    /** The upstream path appended to the base URL of a credential of {@code upstreamKind}. */
    public String upstreamPath(Dialect upstreamKind, String upstreamModel, boolean stream) {
        return upstreamKind.upstreamPath(this, upstreamModel, stream);
    }
}
