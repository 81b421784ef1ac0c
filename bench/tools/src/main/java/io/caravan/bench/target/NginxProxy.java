package io.caravan.bench.target;

import io.caravan.bench.proc.ManagedProcess;
import io.caravan.bench.proc.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx as a plain reverse proxy to the fake upstream, from bench/nginx/nginx.conf.template rendered into a
 * temp prefix, run in the foreground (daemon off) as a child of the suite.
 */
public final class NginxProxy {
    private final ManagedProcess process;
    private final Endpoint endpoint;

    private NginxProxy(ManagedProcess process, int port) {
        this.process = process;
        this.endpoint = new Endpoint("nginx", port, null, () -> ProcStats.withDescendants(process.pid()));
    }

    public static NginxProxy start(Path binary, Path template, int port, int upstreamPort, Path workDir, Path pidsFile)
            throws IOException, InterruptedException {
        Path prefix = Files.createDirectories(workDir.resolve("nginx"));
        boolean root = "root".equals(System.getProperty("user.name"));
        String config = Files.readString(template)
                .replace("@PREFIX@", prefix.toString())
                .replace("@USER_LINE@", root ? "user root;" : "")
                .replace("@LISTEN_PORT@", Integer.toString(port))
                .replace("@UPSTREAM_PORT@", Integer.toString(upstreamPort));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        ManagedProcess process = ManagedProcess.start("nginx",
                List.of(binary.toString(), "-e", prefix.resolve("error.log").toString(), "-p", prefix.toString(),
                        "-c", conf.toString(), "-g", "daemon off;"),
                workDir, workDir.resolve("nginx.out.log"), pidsFile);
        if (!Http.waitForPort(port, Duration.ofSeconds(10))) {
            process.stop();
            throw new IOException("nginx did not listen on " + port + ":\n" + process.logTail(20)
                    + "\n" + Files.readString(prefix.resolve("error.log")));
        }
        return new NginxProxy(process, port);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public void stop() {
        process.stop();
    }
}
