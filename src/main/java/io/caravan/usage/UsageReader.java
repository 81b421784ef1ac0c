package io.caravan.usage;

import io.caravan.dialect.TokenCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers usage queries from the aggregates. A range is cut into the coarsest pieces its edges allow: whole UTC days
 * from the day table, whole hours at its edges from the hour table, minutes at the ragged ends from the minute
 * table. A query for last month up to now thus reads a few dozen day rows and the minutes of this hour, and stays
 * right after the minute aggregates of last month were pruned.
 */
final class UsageReader {

    private static final Comparator<String> NAMES = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<UsageRow> ROW_ORDER = Comparator
            .comparing(UsageRow::bucketStartMillis, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(UsageRow::client, NAMES)
            .thenComparing(UsageRow::model, NAMES)
            .thenComparing(UsageRow::credential, NAMES);

    /** One piece of a range, read from one table: the rows whose bucket starts in {@code [from, to)}. */
    record Piece(AggregateTable table, long from, long to) {
    }

    private record RowKey(Long bucketStart, String client, String model, String credential) {
    }

    private final PooledDatabase database;

    UsageReader(PooledDatabase database) {
        this.database = database;
    }

    List<UsageRow> usage(UsageQuery query) throws SQLException {
        Map<RowKey, BatchAggregates.Sums> merged = new HashMap<>();
        try (Connection connection = database.connection()) {
            for (Piece piece : pieces(query.fromMillis(), query.toMillis(), query.bucket())) {
                read(connection, piece, query, merged);
            }
        }
        List<UsageRow> rows = new ArrayList<>(merged.size());
        merged.forEach((key, sums) -> rows.add(new UsageRow(key.client(), key.model(), key.credential(),
                key.bucketStart(), sums.requests, sums.errors, sums.tokens)));
        rows.sort(ROW_ORDER);
        return rows;
    }

    /** The pieces of {@code [from, to)}: never coarser than the time grouping (days when there is none). */
    static List<Piece> pieces(long from, long to, TimeBucket bucket) {
        List<Piece> pieces = new ArrayList<>();
        AggregateTable coarsest = switch (bucket == null ? TimeBucket.DAY : bucket) {
            case MINUTE -> AggregateTable.MINUTES;
            case HOUR -> AggregateTable.HOURS;
            case DAY -> AggregateTable.DAYS;
        };
        cut(from, to, coarsest, pieces);
        return pieces;
    }

    private static void cut(long from, long to, AggregateTable table, List<Piece> pieces) {
        if (from >= to) {
            return;
        }
        if (table == AggregateTable.MINUTES) {
            pieces.add(new Piece(table, from, to));
            return;
        }
        AggregateTable finer = AggregateTable.values()[table.ordinal() - 1];
        long wholeFrom = table.ceil(from);
        long wholeTo = table.floor(to);
        if (wholeFrom < wholeTo) {
            cut(from, wholeFrom, finer, pieces);
            pieces.add(new Piece(table, wholeFrom, wholeTo));
            cut(wholeTo, to, finer, pieces);
        } else {
            cut(from, to, finer, pieces);
        }
    }

    private static void read(Connection connection, Piece piece, UsageQuery query,
            Map<RowKey, BatchAggregates.Sums> merged) throws SQLException {
        boolean byClient = query.groupBy().contains(UsageGroup.CLIENT);
        boolean byModel = query.groupBy().contains(UsageGroup.MODEL);
        boolean byCredential = query.groupBy().contains(UsageGroup.CREDENTIAL);
        List<String> columns = new ArrayList<>();
        if (query.bucket() != null) {
            long millis = query.bucket().millis();
            columns.add("(bucket_start - bucket_start % " + millis + ")");
        }
        if (byClient) {
            columns.add("client");
        }
        if (byModel) {
            columns.add("model");
        }
        if (byCredential) {
            columns.add("credential");
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(column -> sql.append(column).append(", "));
        sql.append("SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), "
                + "SUM(cache_write_tokens), SUM(reasoning_tokens) FROM ").append(piece.table().tableName())
                .append(" WHERE bucket_start >= ? AND bucket_start < ?");
        List<String> filters = new ArrayList<>();
        if (query.client() != null) {
            sql.append(" AND client = ?");
            filters.add(StoredText.key(query.client()));
        }
        if (query.model() != null) {
            sql.append(" AND model = ?");
            filters.add(StoredText.key(query.model()));
        }
        if (query.credential() != null) {
            sql.append(" AND credential = ?");
            filters.add(StoredText.key(query.credential()));
        }
        if (!columns.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", columns));
        }
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int p = 1;
            select.setLong(p++, piece.from());
            select.setLong(p++, piece.to());
            for (String filter : filters) {
                select.setString(p++, filter);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    int c = 1;
                    Long bucketStart = query.bucket() != null ? result.getLong(c++) : null;
                    String client = byClient ? result.getString(c++) : null;
                    String model = byModel ? result.getString(c++) : null;
                    String credential = byCredential ? noneAsNull(result.getString(c++)) : null;
                    long requests = result.getLong(c++);
                    if (requests == 0) {
                        continue; // an aggregate over no rows (no GROUP BY) has one row of nulls
                    }
                    BatchAggregates.Sums sums = merged.computeIfAbsent(
                            new RowKey(bucketStart, client, model, credential), k -> new BatchAggregates.Sums());
                    sums.requests += requests;
                    sums.errors += result.getLong(c++);
                    sums.tokens = sums.tokens.plus(new TokenCounts(result.getLong(c++), result.getLong(c++),
                            result.getLong(c++), result.getLong(c++), result.getLong(c)));
                }
            }
        }
    }

    private static String noneAsNull(String credential) {
        return BatchAggregates.NO_CREDENTIAL.equals(credential) ? null : credential;
    }
}
