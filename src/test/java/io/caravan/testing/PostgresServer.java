package io.caravan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, from the machine's binaries ({@code initdb} and {@code pg_ctl} on the PATH, else
 * Debian's {@code /usr/lib/postgresql/<version>/bin}): a fresh cluster in a temporary directory, listening on
 * 127.0.0.1 on a free port only (its socket in that directory too), password authentication over TCP, fsync off.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, the {@code postgres} user.
 *
 * <p>Without binaries, {@link #start()} skips the calling test, unless {@code -Dpostgres.required=true} (CI) makes
 * that a failure.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String REQUIRED_PROPERTY = "postgres.required";
    public static final String SUPERUSER = "caravan";
    private static final String SYSTEM_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path binaries;
    private final Path directory;
    private final Path data;
    private final String password;
    private final int port;
    private boolean running;

    private PostgresServer(Path binaries, Path directory, String password, int port) {
        this.binaries = binaries;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.password = password;
        this.port = port;
    }

    /** Creates a cluster and starts it; skips (or fails, when required) without PostgreSQL binaries. */
    public static PostgresServer start() {
        PostgresServer server = create();
        server.startServer();
        return server;
    }

    /** Creates a cluster without starting it (its port is chosen already). */
    public static PostgresServer create() {
        Optional<Path> binaries = findBinaries();
        if (binaries.isEmpty()) {
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new IllegalStateException("PostgreSQL is required (-D" + REQUIRED_PROPERTY
                        + "=true) but no initdb and pg_ctl were found on the PATH or in /usr/lib/postgresql/*/bin");
            }
            Assumptions.abort("no PostgreSQL binaries (initdb, pg_ctl) on this machine");
        }
        try {
            Path directory = Files.createTempDirectory("caravan-postgres");
            String password = "pw-" + Long.toHexString(System.nanoTime()) + "-secret";
            PostgresServer server = new PostgresServer(binaries.get(), directory, password, freePort());
            server.initialize();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Path> findBinaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                Path dir = Paths.get(entry);
                if (hasBinaries(dir)) {
                    return Optional.of(dir);
                }
            }
        }
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasBinaries)
                        .max(Comparator.comparing(PostgresServer::majorVersion));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void initialize() throws IOException {
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        if (isRoot()) {
            run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, directory.toString()), false);
        }
        run(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--no-sync"), true);
    }

    /** Starts the server (again, after {@link #stop()}), on the same port. */
    public void startServer() {
        String options = "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + directory
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                directory.resolve("server.log").toString(), "-w", "-t", "60", "-o", options, "start"), true);
        running = true;
    }

    /** Stops the server (fast: open connections are ended), keeping its data. */
    public void stop() {
        if (running) {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60",
                    "stop"), true);
            running = false;
        }
    }

    public int port() {
        return port;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    /** A JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a new, empty database and returns its name. */
    public String createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    private void run(List<String> command, boolean asSystemUser) {
        List<String> full = new ArrayList<>();
        if (asSystemUser && isRoot()) {
            full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        Path output = directory.resolve("command.out");
        try {
            // The cluster's directory as the working directory: the postgres user may not enter the build's.
            Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (" + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + Files.readString(output) + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLog() throws IOException {
        Path log = directory.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteDirectory();
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
