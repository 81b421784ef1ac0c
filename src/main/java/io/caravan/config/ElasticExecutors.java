package io.caravan.config;

import io.vertx.core.spi.ExecutorServiceFactory;
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
 */
public final class ElasticExecutors implements ExecutorServiceFactory {

    private static final long IDLE_SECONDS = 60;

    private final int prestarted;

    /** @param prestarted threads started up front and kept, so that a first burst does not wait for thread creation */
    public ElasticExecutors(int prestarted) {
        this.prestarted = prestarted;
    }

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer maxConcurrency, Integer maxSize) {
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
