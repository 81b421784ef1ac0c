package io.caravan.bench.target;

import java.util.List;
import java.util.function.Supplier;

/**
 * Something load is sent to: the fake upstream called directly, nginx, or the gateway. The pids are the
 * processes whose CPU and memory count as its cost (for nginx: master and workers).
 */
public record Endpoint(String name, int port, String apiKey, Supplier<List<Long>> pids) {
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
