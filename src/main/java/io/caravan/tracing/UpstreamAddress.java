package io.caravan.tracing;

import java.net.URI;

/**
 * {@code server.address} and {@code server.port} of a credential's base URL, the port filled in from the scheme when
 * the URL leaves it out. A URL that does not parse (the credentials file checks them, so none should) gives no host.
 */
record UpstreamAddress(String host, long port) {

    private static final UpstreamAddress UNKNOWN = new UpstreamAddress(null, 0);

    static UpstreamAddress of(String baseUrl) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException unparsable) {
            return UNKNOWN;
        }
        if (uri.getHost() == null) {
            return UNKNOWN;
        }
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return new UpstreamAddress(uri.getHost(), port);
    }
}
