package io.caravan.bench.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a metered gateway wrote into its SQLite file, read after the gateway stopped with Debian's {@code sqlite3}
 * command-line shell (read-only): one row per answered request, counted per HTTP status.
 */
public final class UsageDatabase {
    /** The store's table of single requests (one row each, whatever the status). */
    static final String REQUESTS_TABLE = "usage_request";
    static final String STATUS_COLUMN = "status";
    private static final long QUERY_TIMEOUT_SECONDS = 30;

    private UsageDatabase() {
    }

    /** The rows per status in the requests table of the database file. */
    public static Recorded read(Path database) throws IOException, InterruptedException {
        if (!Files.isRegularFile(database)) {
            throw new IOException("no database file " + database);
        }
        String sql = "SELECT " + STATUS_COLUMN + ", count(*) FROM " + REQUESTS_TABLE + " GROUP BY " + STATUS_COLUMN
                + " ORDER BY " + STATUS_COLUMN + ";";
        Process sqlite = new ProcessBuilder("sqlite3", "-readonly", "-batch", "-separator", "\t",
                database.toString(), sql).redirectErrorStream(true).start();
        String output;
        try {
            sqlite.getOutputStream().close();
            if (!sqlite.waitFor(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                sqlite.destroyForcibly();
                throw new IOException("sqlite3 gave no answer within " + QUERY_TIMEOUT_SECONDS + " s");
            }
            output = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            sqlite.destroyForcibly();
        }
        if (sqlite.exitValue() != 0) {
            throw new IOException("sqlite3 " + database.getFileName() + " exited " + sqlite.exitValue() + ": "
                    + output.strip());
        }
        return Recorded.parse(output);
    }

    /** Recorded requests: the total and the count per HTTP status. */
    public record Recorded(long total, Map<Integer, Long> byStatus) {
        /** sqlite3's output, one {@code status<TAB>count} line per status. */
        static Recorded parse(String output) throws IOException {
            Map<Integer, Long> byStatus = new TreeMap<>();
            long total = 0;
            for (String line : output.strip().lines().toList()) {
                List<String> cells = List.of(line.split("\t", -1));
                if (cells.size() != 2) {
                    throw new IOException("unexpected sqlite3 output: " + line);
                }
                try {
                    int status = cells.get(0).isEmpty() ? -1 : Integer.parseInt(cells.get(0));
                    long count = Long.parseLong(cells.get(1));
                    byStatus.merge(status, count, Long::sum);
                    total += count;
                } catch (NumberFormatException e) {
                    throw new IOException("unexpected sqlite3 output: " + line, e);
                }
            }
            return new Recorded(total, Collections.unmodifiableMap(byStatus));
        }
    }
}
