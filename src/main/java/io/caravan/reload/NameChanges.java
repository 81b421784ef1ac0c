package io.caravan.reload;

import io.caravan.pool.PoolChange;
import java.util.List;

/** What a reload changed in one file's set, by name. */
public record NameChanges(List<String> added, List<String> removed, List<String> changed) {

    public static final NameChanges NONE = new NameChanges(List.of(), List.of(), List.of());

    public NameChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    static NameChanges of(PoolChange change) {
        return new NameChanges(change.added(), change.removed(), change.changed());
    }
}
