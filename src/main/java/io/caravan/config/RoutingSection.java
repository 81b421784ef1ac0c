package io.caravan.config;

import io.caravan.pool.ModelRule;
import io.caravan.pool.SelectionPolicy;
import io.caravan.pool.SelectionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The credentials file's {@code routing} section: how the pool chooses among the credentials that serve a model.
 *
 * <pre>
 * routing:
 *   strategy: round-robin            # the default for every model no group names
 *   groups:                          # the first group whose pattern matches a model decides
 *     - models: ["gpt-*", "o*"]
 *       strategy: fill-first
 *     - models: ["claude-*"]
 *       strategy: priority
 * </pre>
 */
final class RoutingSection {

    static final String NAME = "routing";
    private static final String STRATEGY = "strategy";
    private static final String GROUPS = "groups";
    private static final String MODELS = "models";
    private static final Set<String> KEYS = Set.of(STRATEGY, GROUPS);
    private static final Set<String> GROUP_KEYS = Set.of(MODELS, STRATEGY);

    /** The file the section is in: its helpers read the nodes and name the file and line in every error. */
    private final YamlConfigFile file;

    RoutingSection(YamlConfigFile file) {
        this.file = file;
    }

    /** The section's policy; round-robin for every model when the section is absent or empty. */
    SelectionPolicy policy(Node section) {
        if (section == null) {
            return SelectionPolicy.DEFAULT;
        }
        Map<String, Node> fields = file.fields(section, KEYS, "'" + NAME + "'");
        SelectionStrategy defaultStrategy = fields.containsKey(STRATEGY)
                ? strategy(fields.get(STRATEGY)) : SelectionPolicy.DEFAULT.defaultStrategy();
        List<SelectionPolicy.Group> groups = new ArrayList<>();
        for (Node item : file.items(fields.get(GROUPS), NAME + "." + GROUPS, "model groups ({models, strategy})")) {
            groups.add(group(item));
        }
        return new SelectionPolicy(defaultStrategy, groups);
    }

    private SelectionPolicy.Group group(Node node) {
        Map<String, Node> fields = file.fields(node, GROUP_KEYS, "a model group");
        Node models = fields.get(MODELS);
        if (models == null) {
            throw file.error(node, "missing '" + MODELS + "' (the model names or wildcards the group's strategy is for)");
        }
        if (!(models instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw file.error(models, "'" + MODELS + "' must be a non-empty list of model names or wildcards");
        }
        List<ModelRule> patterns = new ArrayList<>();
        for (Node pattern : list.getValue()) {
            patterns.add(ModelRule.exactOrWildcard(file.nonEmpty(pattern, "a model name")));
        }
        if (!fields.containsKey(STRATEGY)) {
            throw file.error(node, "missing '" + STRATEGY + "' (one of: " + SelectionStrategy.ids() + ")");
        }
        return new SelectionPolicy.Group(patterns, strategy(fields.get(STRATEGY)));
    }

    private SelectionStrategy strategy(Node node) {
        try {
            return SelectionStrategy.fromId(file.nonEmpty(node, STRATEGY));
        } catch (IllegalArgumentException e) {
            throw file.error(node, e.getMessage());
        }
    }
}
