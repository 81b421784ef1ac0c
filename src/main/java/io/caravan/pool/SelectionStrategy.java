package io.caravan.pool;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the pool chooses among the credentials eligible for one request, as the credentials file names them. */
public enum SelectionStrategy {

    /** In turn, evenly over the eligible credentials. */
    ROUND_ROBIN("round-robin"),
    /** In turn, each credential as often as its {@code weight} says relative to the others'. */
    WEIGHTED("weighted"),
    /** The first eligible credential in the file's order, until it is at its cap, cooling or out of quota. */
    FILL_FIRST("fill-first"),
    /** The credential with the fewest requests in flight relative to its {@code max-concurrent}. */
    LEAST_BUSY("least-busy"),
    /** Tiers: a credential of a later tier serves only when no credential of an earlier tier is eligible. */
    PRIORITY("priority");

    private final String id;

    SelectionStrategy(String id) {
        this.id = id;
    }

    /** The name in the credentials file. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the strategies there are, for an unknown name */
    public static SelectionStrategy fromId(String id) {
        for (SelectionStrategy s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + id + "' (one of: " + ids() + ")");
    }

    /** Every strategy's name, comma-separated, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(SelectionStrategy::id).collect(Collectors.joining(", "));
    }
}
