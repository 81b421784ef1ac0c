package io.caravan.bench.target;

/**
 * One way through an endpoint: the dialect the caller speaks and the model it names. Through the gateway, the
 * model decides which credential (and so which upstream dialect) serves it.
 */
public record Route(Endpoint endpoint, Dialect dialect, String model) {
    public String url() {
        return endpoint.baseUrl() + dialect.path();
    }
}
