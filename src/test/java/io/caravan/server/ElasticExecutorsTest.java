package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway's Vert.x gets its worker pools from {@link ElasticExecutors} through Vert.x's public service-provider
 * interface, and other Vert.x instances keep Vert.x's own. Vert.x's fixed pool starts no thread before its first
 * task, so threads that are there right after the build can only be the elastic pool's prestarted ones.
 */
class ElasticExecutorsTest {

    private static final String WORKER = "vert.x-worker-thread-";

    @Test
    void theGatewaysVertxPrestartsItsWorkers() throws Exception {
        Set<Thread> before = workers();
        Vertx vertx = ElasticExecutors.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(8), 3);
        try {
            Set<Thread> started = workers();
            started.removeAll(before);
            assertEquals(3, started.size(), "new worker threads " + started);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anotherVertxKeepsVertxsOwnPools() throws Exception {
        Set<Thread> before = workers();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(8));
        try {
            Set<Thread> started = workers();
            started.removeAll(before);
            assertEquals(Set.of(), started, "no worker thread before the first task");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Set<Thread> workers() {
        Set<Thread> workers = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(WORKER)) {
                workers.add(thread);
            }
        }
        return workers;
    }
}
