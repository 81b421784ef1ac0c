package io.caravan.bench.report;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Markdown tables and number formatting for the report. */
final class Md {
    static final String NA = "n/a";

    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    private Md(String... header) {
        this.header = header;
    }

    static Md table(String... header) {
        return new Md(header);
    }

    Md row(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? NA : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append(" --- |".repeat(header.length)).append("\n");
        for (String[] row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    /** Microseconds as µs below 1 ms, else ms. */
    static String us(Double micros) {
        if (micros == null || micros.isNaN()) {
            return NA;
        }
        if (Math.abs(micros) < 1000) {
            return String.format(Locale.ROOT, "%.0f µs", micros);
        }
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    static String ms(Double millis) {
        if (millis == null || millis.isNaN()) {
            return NA;
        }
        if (Math.abs(millis) >= 1000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000);
        }
        return String.format(Locale.ROOT, Math.abs(millis) < 10 ? "%.2f ms" : "%.1f ms", millis);
    }

    static String count(Number n) {
        if (n == null || Double.isNaN(n.doubleValue())) {
            return NA;
        }
        return String.format(Locale.ROOT, "%,d", Math.round(n.doubleValue()));
    }

    static String ratio(Double r) {
        if (r == null || r.isNaN()) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static String percent(Double r) {
        if (r == null || r.isNaN()) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.0f%%", r * 100);
    }

    static String mb(Double mb) {
        if (mb == null || mb.isNaN()) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.0f MB", mb);
    }

    /** A nested value, or null when any step of the path is missing. */
    static Object at(JsonObject root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof JsonObject object) || !object.containsKey(key)) {
                return null;
            }
            current = object.getValue(key);
        }
        return current;
    }

    static JsonObject obj(JsonObject root, String... path) {
        Object value = at(root, path);
        return value instanceof JsonObject o ? o : null;
    }

    static Double num(JsonObject root, String... path) {
        Object value = at(root, path);
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
