package io.caravan.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Against this test's own JVM: a named thread's CPU time lands in its group. */
class ThreadCpuTest {

    @Test
    void threadsAreGroupedByTheStartOfTheirNames() {
        assertEquals(ThreadCpu.Group.EVENT_LOOPS, ThreadCpu.Group.of("vert.x-eventloo"));
        assertEquals(ThreadCpu.Group.WORKERS, ThreadCpu.Group.of("vert.x-worker-t"));
        assertEquals(ThreadCpu.Group.USAGE_STORE, ThreadCpu.Group.of("caravan-usage-w"));
        assertEquals(ThreadCpu.Group.JIT, ThreadCpu.Group.of("C2 CompilerThre"));
        assertEquals(ThreadCpu.Group.GC, ThreadCpu.Group.of("GC Thread#1"));
        assertEquals(ThreadCpu.Group.OTHER, ThreadCpu.Group.of("main"));
    }

    @Test
    void aBusyThreadsCpuTimeShowsInItsGroupAndTheGroupsAddUpToTheProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        ThreadCpu before = ThreadCpu.snapshot(pid);
        double processBefore = ProcStats.cpuSeconds(pid);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong sink = new AtomicLong();
        // named as the gateway's usage writer is; busy until the JVM itself counts 0.3 s of its CPU time
        Thread busy = new Thread(() -> {
            long id = Thread.currentThread().getId();
            long x = 1;
            for (int i = 0; i < 10_000 && threads.getThreadCpuTime(id) < TimeUnit.MILLISECONDS.toNanos(300); i++) {
                for (int j = 0; j < 100_000; j++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
            }
            sink.set(x);
            parkForever();
        }, "caravan-usage-writer");
        busy.setDaemon(true);
        busy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (threads.getThreadCpuTime(busy.getId()) < TimeUnit.MILLISECONDS.toNanos(300)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        Map<ThreadCpu.Group, Double> delta = ThreadCpu.snapshot(pid).since(before);
        double processDelta = ProcStats.cpuSeconds(pid) - processBefore;

        assertTrue(delta.get(ThreadCpu.Group.USAGE_STORE) >= 0.28, delta.toString());
        double sum = delta.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(sum <= processDelta + 0.02, sum + " attributed of " + processDelta);
    }

    private static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
