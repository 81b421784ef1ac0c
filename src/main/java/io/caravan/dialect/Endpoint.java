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
 */
public record Endpoint(Dialect dialect, Operation operation, String path, String routeId, String logName,
                       String requiredArray) {

    /** The registry name of the processor that admits this endpoint's requests. */
    public String gateBean() {
        return routeId + "-gate";
    }

    /** The upstream path appended to the base URL of a credential of {@code upstreamKind}. */
    public String upstreamPath(Dialect upstreamKind) {
        return upstreamKind.upstreamPath(operation);
    }
}
