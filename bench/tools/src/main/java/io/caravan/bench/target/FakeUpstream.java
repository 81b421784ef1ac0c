package io.caravan.bench.target;

import io.caravan.bench.proc.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The C fake upstream (bench/upstream/fake_upstream.c), built by run.sh, run as a child process. */
public final class FakeUpstream {
    private final ManagedProcess process;
    private final Endpoint endpoint;

    private FakeUpstream(ManagedProcess process, int port) {
        this.process = process;
        this.endpoint = new Endpoint("direct", port, null, () -> List.of(process.pid()));
    }

    public static FakeUpstream start(Path binary, int port, int threads, Path workDir, Path pidsFile)
            throws IOException, InterruptedException {
        ManagedProcess process = ManagedProcess.start("fake-upstream",
                List.of(binary.toString(), Integer.toString(port), Integer.toString(threads), "64", "20"),
                workDir, workDir.resolve("fake-upstream.log"), pidsFile);
        if (!Http.waitForPort(port, Duration.ofSeconds(10))) {
            process.stop();
            throw new IOException("fake upstream did not listen on " + port + ":\n" + process.logTail(20));
        }
        return new FakeUpstream(process, port);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    public void stop() {
        process.stop();
    }
}
