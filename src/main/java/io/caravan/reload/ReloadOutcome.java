package io.caravan.reload;

import java.time.Instant;

/**
 * How one reload of the configuration files ended, as the admin API shows it.
 *
 * @param trigger what asked for it
 * @param result applied, unchanged (the files' content is what is applied already) or refused
 * @param error for a refused reload, the problem (file, line, what is wrong; never a secret); else {@code null}
 * @param credentials the credentials added, removed and changed (none unless applied)
 * @param clients the clients file's clients added, removed and changed (none unless applied)
 */
public record ReloadOutcome(Instant at, Trigger trigger, Result result, String error, NameChanges credentials,
        NameChanges clients) {

    /** What asked for a reload. */
    public enum Trigger {
        /** The configuration the gateway started with: the first "reload". */
        STARTUP("startup"),
        /** The file watcher saw a file change. */
        WATCH("watch"),
        /** {@code POST /admin/v1/reload}. */
        ADMIN("admin");

        private final String id;

        Trigger(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** How a reload ended. */
    public enum Result {
        APPLIED("applied"),
        UNCHANGED("unchanged"),
        REFUSED("refused");

        private final String id;

        Result(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public boolean refused() {
        return result == Result.REFUSED;
    }
}
