package io.caravan.bench.target;

import java.util.Map;

/**
 * One way through an endpoint: the dialect the caller speaks and the model it names. Through the gateway, the
 * model decides which credential (and so which upstream dialect) serves it.
 */
public record Route(Endpoint endpoint, Dialect dialect, String model) {
    /** The request path, non-stream or stream (Gemini's differ). */
    public String path(boolean stream) {
        return dialect.path(model, stream);
    }

    public String url(boolean stream) {
        return endpoint.baseUrl() + path(stream);
    }

    public Map<String, String> headers() {
        return dialect.headers(endpoint.apiKey());
    }

    public String body(boolean stream) {
        return dialect.requestBody(model, stream);
    }
}
