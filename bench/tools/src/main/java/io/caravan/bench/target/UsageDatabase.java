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
 * What a metered gateway wrote into its SQLite file (the schema of src/main/resources/db/migration), read after
 * the gateway stopped with Debian's {@code sqlite3} command-line shell, read-only: the request rows per HTTP status,
 * the requests the day aggregates hold (what the admin usage API reads), and the answered rows that carry no tokens.
 */
public final class UsageDatabase {
    /** One row per answered request, refused and failed ones too. */
    static final String REQUESTS_TABLE = "usage_requests";
    /** Per day × client × model × credential; its {@code requests} column sums the rows. */
    static final String DAYS_TABLE = "usage_days";
    private static final long QUERY_TIMEOUT_SECONDS = 30;
    private static final String STATUS = "status";
    private static final String AGGREGATED = "aggregated";
    private static final String WITHOUT_TOKENS = "without_tokens";
    /** One statement per figure, each line led by its name, so one run of the shell reads them all. */
    private static final String QUERY = String.join("\n",
            "SELECT '" + STATUS + "', status, count(*) FROM " + REQUESTS_TABLE + " GROUP BY status ORDER BY status;",
            "SELECT '" + AGGREGATED + "', coalesce(sum(requests), 0) FROM " + DAYS_TABLE + ";",
            "SELECT '" + WITHOUT_TOKENS + "', count(*) FROM " + REQUESTS_TABLE
                    + " WHERE status = 200 AND input_tokens + output_tokens = 0;");

    private UsageDatabase() {
    }

    public static Recorded read(Path database) throws IOException, InterruptedException {
        if (!Files.isRegularFile(database)) {
            throw new IOException("no database file " + database);
        }
        Process sqlite = new ProcessBuilder("sqlite3", "-readonly", "-batch", "-separator", "\t",
                database.toString(), QUERY).redirectErrorStream(true).start();
        String output;
        try {
            sqlite.getOutputStream().close();
            if (!sqlite.waitFor(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
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

    /**
     * Recorded requests: the rows and their count per HTTP status, the requests the day aggregates count, and the
     * rows answered 200 whose tokens are all zero (the fake upstream reports usage in every answer).
     */
    public record Recorded(long total, Map<Integer, Long> byStatus, long aggregated, long answeredWithoutTokens) {

        /** sqlite3's output: lines of a figure's name and its values, tab-separated. */
        static Recorded parse(String output) throws IOException {
            Map<Integer, Long> byStatus = new TreeMap<>();
            long total = 0;
            Long aggregated = null;
            Long withoutTokens = null;
            for (String line : output.strip().lines().toList()) {
                List<String> cells = List.of(line.split("\t", -1));
                try {
                    if (cells.get(0).equals(STATUS) && cells.size() == 3) {
                        long count = Long.parseLong(cells.get(2));
                        byStatus.merge(Integer.parseInt(cells.get(1)), count, Long::sum);
                        total += count;
                    } else if (cells.get(0).equals(AGGREGATED) && cells.size() == 2) {
                        aggregated = Long.parseLong(cells.get(1));
                    } else if (cells.get(0).equals(WITHOUT_TOKENS) && cells.size() == 2) {
                        withoutTokens = Long.parseLong(cells.get(1));
                    } else {
                        throw new IOException("unexpected sqlite3 output: " + line);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException("unexpected sqlite3 output: " + line, e);
                }
            }
            if (aggregated == null || withoutTokens == null) {
                throw new IOException("sqlite3 output lacks a figure: " + output.strip());
            }
            return new Recorded(total, Collections.unmodifiableMap(byStatus), aggregated, withoutTokens);
        }
    }
}
