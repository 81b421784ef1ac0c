package io.caravan.pool;

import java.util.List;

/**
 * Which {@link SelectionStrategy} picks among a model's eligible credentials: the first group whose model pattern
 * matches the requested model decides, else the default. Read once per model name by the pool (each model's
 * candidates remember their strategy), so that choosing costs nothing per request.
 *
 * @param defaultStrategy for every model no group names
 * @param groups in the order of the credentials file's {@code routing.groups}
 */
public record SelectionPolicy(SelectionStrategy defaultStrategy, List<Group> groups) {

    /** Round-robin for every model: what the gateway did before strategies could be chosen. */
    public static final SelectionPolicy DEFAULT = new SelectionPolicy(SelectionStrategy.ROUND_ROBIN, List.of());

    public SelectionPolicy {
        groups = List.copyOf(groups);
    }

    /** One model group of the credentials file: the models its patterns match are chosen among by its strategy. */
    public record Group(List<ModelRule> models, SelectionStrategy strategy) {

        public Group {
            models = List.copyOf(models);
        }

        boolean matches(String model) {
            for (ModelRule rule : models) {
                if (rule.matches(model)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The strategy for one requested model name. */
    public SelectionStrategy strategyFor(String model) {
        for (Group group : groups) {
            if (group.matches(model)) {
                return group.strategy();
            }
        }
        return defaultStrategy;
    }
}
