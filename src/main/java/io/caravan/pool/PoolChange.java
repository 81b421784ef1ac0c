package io.caravan.pool;

import java.util.List;

/** What a reload changed in the pool, by credential name. */
public record PoolChange(List<String> added, List<String> removed, List<String> changed) {

    public PoolChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
