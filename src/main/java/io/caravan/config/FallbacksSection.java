package io.caravan.config;

import io.caravan.routing.ModelFallbacks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The credentials file's {@code fallbacks} section: per requested model, the models tried in order when none of its
 * credentials can serve it.
 *
 * <pre>
 * fallbacks:
 *   gpt-5: [gpt-5-mini, claude-sonnet-4-5]
 * </pre>
 *
 * Names are exact (no wildcards): a fallback is chosen for a model, not for a family of them. A model that falls back
 * to itself, a list naming one model twice, and chains that lead back to where they started are refused: only the
 * requested model's list is followed (a fallback's own fallbacks are not), so a cycle could only be a mistake, and
 * refusing it keeps every chain a plain order of preference.
 */
final class FallbacksSection {

    static final String NAME = "fallbacks";

    private FallbacksSection() {
    }

    /** The section's chains; {@link ModelFallbacks#NONE} when the section is absent or empty. */
    static ModelFallbacks read(YamlConfigFile file, Node section) {
        if (section == null) {
            return ModelFallbacks.NONE;
        }
        MappingNode map = file.mapping(section, "'" + NAME + "'");
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Map<String, Node> keyNodes = new LinkedHashMap<>();
        for (NodeTuple entry : map.getValue()) {
            String model = modelName(file, entry.getKeyNode(), "a model name");
            if (chains.containsKey(model)) {
                throw file.error(entry.getKeyNode(), "'" + model + "' appears twice in '" + NAME + "'");
            }
            chains.put(model, chain(file, model, entry.getValueNode()));
            keyNodes.put(model, entry.getKeyNode());
        }
        refuseCycles(file, chains, keyNodes);
        return new ModelFallbacks(chains);
    }

    private static List<String> chain(YamlConfigFile file, String model, Node node) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw file.error(node, "the fallbacks of '" + model + "' must be a non-empty list of model names");
        }
        List<String> chain = new ArrayList<>();
        for (Node item : list.getValue()) {
            String fallback = modelName(file, item, "a fallback model");
            if (fallback.equals(model)) {
                throw file.error(item, "'" + model + "' cannot fall back to itself");
            }
            if (chain.contains(fallback)) {
                throw file.error(item, "'" + fallback + "' appears twice in the fallbacks of '" + model + "'");
            }
            chain.add(fallback);
        }
        return List.copyOf(chain);
    }

    private static String modelName(YamlConfigFile file, Node node, String what) {
        String name = file.nonEmpty(node, what);
        if (name.indexOf('*') >= 0) {
            throw file.error(node, "'" + name + "': fallbacks name exact models, not patterns");
        }
        return name;
    }

    /** Walks every chain depth first; the first model met again on the current path closes a cycle. */
    private static void refuseCycles(YamlConfigFile file, Map<String, List<String>> chains, Map<String, Node> keyNodes) {
        Set<String> done = new HashSet<>();
        for (String start : chains.keySet()) {
            List<String> path = new ArrayList<>();
            walk(file, start, chains, keyNodes, path, done);
        }
    }

    private static void walk(YamlConfigFile file, String model, Map<String, List<String>> chains,
            Map<String, Node> keyNodes, List<String> path, Set<String> done) {
        int seen = path.indexOf(model);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(model);
            throw file.error(keyNodes.get(path.get(path.size() - 1)),
                    "the fallbacks form a cycle: " + String.join(" -> ", cycle));
        }
        if (done.contains(model) || !chains.containsKey(model)) {
            return;
        }
        path.add(model);
        for (String next : chains.get(model)) {
            walk(file, next, chains, keyNodes, path, done);
        }
        path.remove(path.size() - 1);
        done.add(model);
    }
}
