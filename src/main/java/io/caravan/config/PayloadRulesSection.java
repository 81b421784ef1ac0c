package io.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.pool.ModelRule;
import io.caravan.routing.FieldPath;
import io.caravan.routing.PayloadRule;
import io.caravan.routing.PayloadRules;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The credentials file's {@code payload-rules:} section: a list of rules, each a mapping of
 *
 * <pre>
 * - models: ["o3*", gpt-5]                  # public model names or wildcards (required)
 *   credentials: [openai-main]              # only on these credentials (optional; default: every credential)
 *   defaults: {reasoning_effort: high}      # set when the request does not have the field
 *   overrides: {service_tier: default}      # always set
 *   caps: {max_tokens: 8192}                # a number field lowered to at most this
 *   remove: [service_tier, metadata.trace]  # taken out
 * </pre>
 *
 * The keys of {@code defaults}, {@code overrides} and {@code caps} and the items of {@code remove} are
 * {@link FieldPath}s; values are any YAML value, kept as the JSON value it reads as ({@code 8192} a number,
 * {@code "8192"} a string).
 */
final class PayloadRulesSection {

    static final String SECTION = "payload-rules";
    private static final String MODELS = "models";
    private static final String CREDENTIALS = "credentials";
    private static final String DEFAULTS = "defaults";
    private static final String OVERRIDES = "overrides";
    private static final String CAPS = "caps";
    private static final String REMOVE = "remove";
    private static final Set<String> KEYS = new LinkedHashSet<>(
            List.of(MODELS, CREDENTIALS, DEFAULTS, OVERRIDES, CAPS, REMOVE));

    private final YamlConfigFile file;

    private PayloadRulesSection(YamlConfigFile file) {
        this.file = file;
    }

    /** The rules of the section node, in order; {@link PayloadRules#NONE} when it is absent or empty. */
    static PayloadRules parse(YamlConfigFile file, Node section) {
        if (section == null) {
            return PayloadRules.NONE;
        }
        PayloadRulesSection reader = new PayloadRulesSection(file);
        List<PayloadRule> rules = new ArrayList<>();
        for (Node item : file.items(section, SECTION, "rules (each with 'models' and what it changes)")) {
            rules.add(reader.rule(item));
        }
        return new PayloadRules(rules);
    }

    private PayloadRule rule(Node node) {
        Map<String, Node> fields = file.fields(node, KEYS, "a payload rule");
        if (!fields.containsKey(MODELS)) {
            throw file.error(node, "a payload rule needs 'models' (the model names or wildcards it applies to)");
        }
        if (!(fields.containsKey(DEFAULTS) || fields.containsKey(OVERRIDES) || fields.containsKey(CAPS)
                || fields.containsKey(REMOVE))) {
            throw file.error(node, "a payload rule changes nothing: give it 'defaults', 'overrides', 'caps' or 'remove'");
        }
        List<ModelRule> models = new ArrayList<>();
        for (String pattern : names(fields.get(MODELS), MODELS)) {
            models.add(ModelRule.exactOrWildcard(pattern));
        }
        Set<String> credentials = fields.containsKey(CREDENTIALS)
                ? new LinkedHashSet<>(names(fields.get(CREDENTIALS), CREDENTIALS)) : Set.of();
        return new PayloadRule(models, credentials, values(fields.get(DEFAULTS), DEFAULTS, false),
                values(fields.get(OVERRIDES), OVERRIDES, false), values(fields.get(CAPS), CAPS, true),
                removals(fields.get(REMOVE)));
    }

    /** A non-empty list of distinct non-empty names. */
    private List<String> names(Node node, String key) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw file.error(node, "'" + key + "' must be a non-empty list");
        }
        List<String> names = new ArrayList<>();
        for (Node item : list.getValue()) {
            String name = file.nonEmpty(item, "an entry of '" + key + "'");
            if (names.contains(name)) {
                throw file.error(item, "'" + name + "' appears twice in '" + key + "'");
            }
            names.add(name);
        }
        return names;
    }

    /** A mapping of field paths to values (only numbers when {@code numbers}), in order; empty when absent. */
    private Map<FieldPath, JsonNode> values(Node node, String key, boolean numbers) {
        Map<FieldPath, JsonNode> values = new LinkedHashMap<>();
        if (node == null) {
            return values;
        }
        MappingNode map = file.mapping(node, "'" + key + "'");
        if (map.getValue().isEmpty()) {
            throw file.error(node, "'" + key + "' is empty");
        }
        for (NodeTuple entry : map.getValue()) {
            FieldPath path = path(entry.getKeyNode(), key);
            JsonNode value = json(entry.getValueNode());
            if (numbers && !value.isNumber()) {
                throw file.error(entry.getValueNode(), "the cap of '" + path + "' must be a number, got " + value);
            }
            if (values.put(path, value) != null) {
                throw file.error(entry.getKeyNode(), "'" + path + "' appears twice in '" + key + "'");
            }
        }
        return values;
    }

    private List<FieldPath> removals(Node node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw file.error(node, "'" + REMOVE + "' must be a non-empty list of field paths");
        }
        List<FieldPath> paths = new ArrayList<>();
        for (Node item : list.getValue()) {
            FieldPath path = path(item, REMOVE);
            if (paths.contains(path)) {
                throw file.error(item, "'" + path + "' appears twice in '" + REMOVE + "'");
            }
            paths.add(path);
        }
        return paths;
    }

    private FieldPath path(Node node, String key) {
        FieldPath path;
        try {
            path = FieldPath.parse(file.scalar(node, "a field path in '" + key + "'"));
        } catch (IllegalArgumentException e) {
            throw file.error(node, e.getMessage());
        }
        if (PayloadRule.GATEWAY_FIELDS.contains(path.topLevelKey())) {
            throw file.error(node, "a payload rule cannot change '" + path.topLevelKey()
                    + "': the gateway routes and meters by it (to send another model name, use a model alias)");
        }
        return path;
    }

    /** A YAML value as the JSON value it reads as; strings have their placeholders resolved. */
    private JsonNode json(Node node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            ObjectNode object = nodes.objectNode();
            for (NodeTuple entry : map.getValue()) {
                String key = file.scalar(entry.getKeyNode(), "a key");
                if (object.has(key)) {
                    throw file.error(entry.getKeyNode(), "'" + key + "' appears twice");
                }
                object.set(key, json(entry.getValueNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode list) {
            ArrayNode array = nodes.arrayNode();
            for (Node item : list.getValue()) {
                array.add(json(item));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag)) {
                BigInteger value = new BigInteger(text);
                return value.bitLength() < Integer.SIZE ? nodes.numberNode(value.intValue())
                        : value.bitLength() < Long.SIZE ? nodes.numberNode(value.longValue()) : nodes.numberNode(value);
            }
            if (Tag.FLOAT.equals(tag)) {
                double value = Double.parseDouble(text);
                if (Double.isFinite(value)) {
                    return nodes.numberNode(value);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            throw file.error(node, "'" + text + "' is not a number JSON can carry (write it in decimal, or quote it)");
        }
        if (Tag.BOOL.equals(tag)) {
            return nodes.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
        }
        if (Tag.NULL.equals(tag)) {
            return nodes.nullNode();
        }
        return nodes.textNode(file.resolvePlaceholders(node, text));
    }
}
