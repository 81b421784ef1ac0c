package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.caravan.dialect.TokenCounts;
import io.caravan.testing.ShippedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store killed with {@code kill -9} in the middle of its writes leaves a SQLite file that passes
 * {@code PRAGMA integrity_check}, keeps every row that was committed before, and whose aggregates agree with its raw
 * rows (each batch landed whole or not at all).
 */
class KilledWriterTest {

    private static final long WAIT_MILLIS = 60_000;
    private static final long ROWS_BEFORE_KILL = 20_000;

    @TempDir
    Path directory;

    /** The child JVM: records in bursts, for two minutes at most, until killed. */
    public static final class RecordingProcess {
        public static void main(String[] args) throws InterruptedException {
            UsageStore store = UsageStore.open(ShippedSettings.store(args[0]).withFlushIntervalMillis(100));
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            TokenCounts tokens = new TokenCounts(10, 5, 2, 1, 1);
            for (long i = 0; System.nanoTime() < end; i++) {
                store.record(new UsageRecord(System.currentTimeMillis(), "r" + i, "client-" + (i % 5),
                        "model-" + (i % 3), "upstream-model", "cred-" + (i % 2), "openai", "/v1/chat/completions", false, 200, 1,
                        tokens, 5, 10));
                if (i % 200 == 0) {
                    Thread.sleep(5);
                }
            }
            store.close();
        }
    }

    @Test
    void aKilledStoreLeavesAConsistentFileWithEverythingCommittedBefore() throws Exception {
        Path file = directory.resolve("killed.db");
        String url = "jdbc:sqlite:" + file;
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                RecordingProcess.class.getName(), url))
                .redirectErrorStream(true).redirectOutput(directory.resolve("child.log").toFile()).start();
        long committedBeforeKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            long rows = 0;
            while (rows < ROWS_BEFORE_KILL) {
                if (System.nanoTime() > deadline || !child.isAlive()) {
                    fail("the child wrote " + rows + " rows; its log:\n" + childLog());
                }
                Thread.sleep(50);
                rows = Files.exists(file) ? rowsIfReadable(url) : 0;
            }
            committedBeforeKill = rows;
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals("ok", single(connection, "PRAGMA integrity_check"));
            long rows = Long.parseLong(single(connection, "SELECT COUNT(*) FROM usage_requests"));
            assertTrue(rows >= committedBeforeKill, rows + " rows after the kill, " + committedBeforeKill + " before");
            for (String table : List.of("usage_minutes", "usage_hours", "usage_days")) {
                assertEquals(rows, Long.parseLong(single(connection, "SELECT SUM(requests) FROM " + table)), table);
                assertEquals(rows * 10, Long.parseLong(single(connection, "SELECT SUM(input_tokens) FROM " + table)),
                        table);
            }
        }
    }

    private String childLog() throws java.io.IOException {
        Path log = directory.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The committed rows, or 0 while the schema is still being made. */
    private static long rowsIfReadable(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            return Long.parseLong(single(connection, "SELECT COUNT(*) FROM usage_requests"));
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getString(1);
        }
    }
}
