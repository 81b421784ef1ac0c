package io.caravan.usage;

import java.util.Locale;

/** The JDBC URLs the store accepts, and their display form without secrets. */
final class DatabaseUrl {

    static final String SQLITE_PREFIX = "jdbc:sqlite:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    private DatabaseUrl() {
    }

    static boolean isSqlite(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith(SQLITE_PREFIX);
    }

    static boolean isPostgresql(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith(POSTGRESQL_PREFIX);
    }

    /** Refuses a URL of another database, or a SQLite URL without a file, before anything is opened. */
    static void check(String url) {
        if (isSqlite(url)) {
            String file = withoutParameters(url.substring(SQLITE_PREFIX.length()));
            if (file.isBlank()) {
                throw new IllegalArgumentException("the usage store's SQLite URL names no file: " + display(url)
                        + " (expected jdbc:sqlite:<file>)");
            }
        } else if (!isPostgresql(url)) {
            throw new IllegalArgumentException("the usage store's URL must be jdbc:sqlite:<file> or "
                    + "jdbc:postgresql://<host>:<port>/<database>, got " + display(url));
        }
    }

    /** The URL without user info ({@code user:password@}) and without parameters (which may carry a password). */
    static String display(String url) {
        String shown = withoutParameters(url);
        int scheme = shown.indexOf("//");
        if (scheme >= 0) {
            int hostStart = scheme + 2;
            int pathStart = shown.indexOf('/', hostStart);
            int authorityEnd = pathStart < 0 ? shown.length() : pathStart;
            int at = shown.lastIndexOf('@', authorityEnd - 1);
            if (at >= hostStart) {
                shown = shown.substring(0, hostStart) + shown.substring(at + 1);
            }
        }
        return shown;
    }

    /** The password written into the URL itself (user info or a {@code password} parameter), or {@code null}. */
    static String embeddedPassword(String url) {
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("[&;]")) {
                int eq = parameter.indexOf('=');
                if (eq > 0 && parameter.substring(0, eq).equalsIgnoreCase("password")) {
                    return parameter.substring(eq + 1);
                }
            }
        }
        int scheme = url.indexOf("//");
        if (scheme >= 0) {
            int pathStart = url.indexOf('/', scheme + 2);
            String authority = url.substring(scheme + 2, pathStart < 0 ? url.length() : pathStart);
            int at = authority.lastIndexOf('@');
            int colon = authority.indexOf(':');
            if (at > 0 && colon >= 0 && colon < at) {
                return authority.substring(colon + 1, at);
            }
        }
        return null;
    }

    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
