package io.caravan.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process the suite owns: output goes to a log file, its pid is appended to the pids file (which
 * bench/run.sh kills on exit, whatever happens to this JVM), and stop() ends it with TERM, then KILL.
 */
public final class ManagedProcess {
    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ManagedProcess::stop)));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final long launchedNanos;

    private ManagedProcess(String name, Process process, Path log, long launchedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.launchedNanos = launchedNanos;
    }

    public static ManagedProcess start(String name, List<String> command, Path workingDir, Path log, Path pidsFile)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long launched = System.nanoTime();
        Process process = builder.start();
        Files.writeString(pidsFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ManagedProcess managed = new ManagedProcess(name, process, log, launched);
        LIVE.add(managed);
        return managed;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public long launchedNanos() {
        return launchedNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the process's log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits for the process to end by itself; stops it when the timeout passes. Returns its exit code. */
    public int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            stop();
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /**
     * Asks the process to end (SIGTERM) and waits up to timeoutSeconds for it to finish by itself, as an operator's
     * stop would; only then kills it. Returns how it ended.
     */
    public Termination terminate(long timeoutSeconds) throws InterruptedException {
        LIVE.remove(this);
        long started = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return new Termination(ended, process.isAlive() ? null : process.exitValue(),
                (System.nanoTime() - started) / 1e9);
    }

    /** How a terminated process ended: by itself after SIGTERM (graceful), its exit code, how long it took. */
    public record Termination(boolean graceful, Integer exitCode, double seconds) {
    }

    public void stop() {
        LIVE.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
