package io.caravan.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.core.spi.VertxServiceProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Worker pools that reuse an idle thread before starting a new one, grow up to their size only under real
 * concurrency, and let idle threads go after a minute.
 *
 * <p>Vert.x's default is a fixed pool, which starts a new thread for every task until the pool is full. With a
 * pool sized for thousands of open streams that would leave thousands of threads (and their stacks) behind after a
 * short burst of ordinary requests.
 *
 * <p>Vert.x 4.5 takes an executor factory only through its public service-provider interface: it loads every
 * {@link VertxServiceProvider} named in {@code META-INF/services} while it builds an instance, and an
 * {@link ExecutorServiceFactory} among them becomes that instance's. The loader creates the factory without
 * arguments, so {@link #vertx} hands it the number of threads to prestart through the building thread. A Vert.x
 * instance built any other way (a test's fake upstream, say) gets Vert.x's own fixed pools, as before.
 */
public final class ElasticExecutors implements ExecutorServiceFactory {

    private static final long IDLE_SECONDS = 60;
    /** Set while {@link #vertx} builds an instance on this thread: the threads its pools prestart. */
    private static final ThreadLocal<Integer> BUILDING = new ThreadLocal<>();

    /** Null for an instance not built by {@link #vertx}: Vert.x's own pools. */
    private final Integer prestarted;

    /** For Vert.x's service loader, which creates one factory per instance it builds, on the building thread. */
    public ElasticExecutors() {
        this.prestarted = BUILDING.get();
    }

    /**
     * Builds a Vert.x instance whose worker pools are elastic.
     *
     * @param prestarted threads started up front and kept, so that a first burst does not wait for thread creation
     */
    public static Vertx vertx(VertxOptions options, int prestarted) {
        BUILDING.set(prestarted);
        try {
            return Vertx.builder().with(options).build();
        } finally {
            BUILDING.remove();
        }
    }

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer maxConcurrency, Integer maxSize) {
        if (prestarted == null) {
            return ExecutorServiceFactory.INSTANCE.createExecutor(threadFactory, maxConcurrency, maxSize);
        }
        HandOffQueue queue = new HandOffQueue();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(Math.min(prestarted, maxConcurrency), maxConcurrency,
                IDLE_SECONDS, TimeUnit.SECONDS, queue, threadFactory, (task, pool) -> queue.enqueue(task));
        queue.executor = executor;
        executor.prestartAllCoreThreads();
        return executor;
    }

    /**
     * Hands a task straight to an idle thread; with none idle it refuses the task while the pool may still grow (so
     * the executor starts a thread), and queues it once the pool is at its size.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

        private ThreadPoolExecutor executor;

        @Override
        public boolean offer(Runnable task) {
            if (tryTransfer(task)) {
                return true;
            }
            return executor.getPoolSize() >= executor.getMaximumPoolSize() && super.offer(task);
        }

        /** For a task refused in the race to the last thread: it waits for the next free one. */
        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
