package io.caravan.bench.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A process's CPU time per kind of thread, from /proc/&lt;pid&gt;/task/*: the gateway's own work (event loops,
 * workers, the usage store's writer) apart from the JVM's (JIT compilers, garbage collector). Threads are told
 * apart by their names (the kernel keeps their first 15 characters). A thread that ended between two snapshots
 * takes its CPU time out of its group; {@link #since} puts whatever the groups do not explain under OTHER, so the
 * groups always add up to the process's total.
 */
public final class ThreadCpu {
    /** Kinds of thread, matched on the start of their names, in this order. */
    public enum Group {
        EVENT_LOOPS("event loops", "vert.x-eventloo"),
        WORKERS("workers", "vert.x-worker", "caravan-worker", "Camel"),
        USAGE_STORE("usage store", "caravan-usage"),
        JIT("JIT compilers", "C1 CompilerThre", "C2 CompilerThre"),
        GC("garbage collector", "GC Thread", "VM Thread"),
        OTHER("other");

        private final String label;
        private final String[] prefixes;

        Group(String label, String... prefixes) {
            this.label = label;
            this.prefixes = prefixes;
        }

        public String label() {
            return label;
        }

        static Group of(String threadName) {
            for (Group group : values()) {
                for (String prefix : group.prefixes) {
                    if (threadName.startsWith(prefix)) {
                        return group;
                    }
                }
            }
            return OTHER;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Group, Double> seconds;
    private final double total;

    private ThreadCpu(Map<Group, Double> seconds, double total) {
        this.seconds = seconds;
        this.total = total;
    }

    /** CPU seconds per group of the process's live threads, and the process's total, now. */
    public static ThreadCpu snapshot(long pid) {
        Map<Group, Double> seconds = new EnumMap<>(Group.class);
        for (Group group : Group.values()) {
            seconds.put(group, 0.0);
        }
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    double cpu = ProcStats.cpuSecondsOfStat(Files.readString(thread.resolve("stat")));
                    seconds.merge(Group.of(name), cpu, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: its time shows under OTHER in the difference
                }
            }
        } catch (IOException e) {
            // the process is gone: nothing to attribute
        }
        return new ThreadCpu(seconds, ProcStats.cpuSeconds(pid));
    }

    /** CPU seconds per group between an earlier snapshot and this one; OTHER takes what the groups leave out. */
    public Map<Group, Double> since(ThreadCpu earlier) {
        Map<Group, Double> delta = new EnumMap<>(Group.class);
        double attributed = 0;
        for (Group group : Group.values()) {
            if (group != Group.OTHER) {
                double d = Math.max(0, seconds.get(group) - earlier.seconds.get(group));
                delta.put(group, d);
                attributed += d;
            }
        }
        delta.put(Group.OTHER, Math.max(0, (total - earlier.total) - attributed));
        return delta;
    }
}
