package io.caravan.config;

import java.io.Reader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * What the gateway's YAML files (credentials, clients) share: one top-level list, read as nodes that keep their line,
 * values resolved with Camel's properties component, and every problem one {@link ConfigurationException} naming
 * the file, the line and what is wrong.
 */
abstract class YamlConfigFile {

    /** The files' own older syntax, {@code ${env:NAME}} or {@code ${env:NAME:default}}, kept as an alias. */
    private static final Pattern ENV_ALIAS = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    /** A Camel property placeholder: a property name or a function such as {@code env:NAME}, {@code sys:name}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.+?)}}");
    private static final String ENV_FUNCTION = "env:";

    private final String fileName;
    private final PropertiesComponent properties;

    YamlConfigFile(String fileName, PropertiesComponent properties) {
        this.fileName = fileName;
        this.properties = properties;
    }

    /**
     * The items of the file's one top-level list, {@code section}; none for an empty file or an empty section.
     *
     * @param itemsWhat what the items are, for the message when the section is not a list ("credentials")
     */
    final List<Node> sectionItems(Reader reader, String section, String itemsWhat) {
        return items(sections(reader, List.of(section)).get(section), section, itemsWhat);
    }

    /**
     * The file's top-level sections by name, each at most once and only those {@code allowed} (in the order the
     * messages name them); a section left empty ({@code routing:}) or absent is not in the map.
     */
    final Map<String, Node> sections(Reader reader, List<String> allowed) {
        Optional<Node> root;
        try {
            // Non-scalar keys are allowed only so that they reach the checks below, which name their line (an
            // unquoted {{env:NAME}} is one); the checks still refuse them.
            root = new Compose(LoadSettings.builder().setLabel(fileName).setAllowNonScalarKeys(true).build())
                    .composeReader(reader);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().orElse(e.getContextMark().orElse(null));
            throw new ConfigurationException(where(mark) + ": invalid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigurationException(fileName + ": invalid YAML: " + e.getMessage());
        }
        Map<String, Node> sections = new LinkedHashMap<>();
        if (root.isEmpty()) {
            return sections;
        }
        MappingNode top = mapping(root.get(), "the top level");
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : top.getValue()) {
            String key = scalar(entry.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(entry.getKeyNode(), "unknown key '" + key + "' (expected "
                        + (allowed.size() == 1 ? "'" + allowed.get(0) + "'" : "one of: " + String.join(", ", allowed))
                        + ")");
            }
            if (!seen.add(key)) {
                throw error(entry.getKeyNode(), "'" + key + "' appears twice");
            }
            if (entry.getValueNode() instanceof ScalarNode s && s.getValue().isEmpty()) {
                continue;
            }
            sections.put(key, entry.getValueNode());
        }
        return sections;
    }

    /** A section's items: it must be a list; none when the section is absent or empty. */
    final List<Node> items(Node sectionNode, String section, String itemsWhat) {
        if (sectionNode == null) {
            return List.of();
        }
        if (!(sectionNode instanceof SequenceNode list)) {
            throw error(sectionNode, "'" + section + "' must be a list of " + itemsWhat);
        }
        return list.getValue();
    }

    /**
     * A mapping's entries by key, refusing keys outside {@code allowed} and keys given twice.
     *
     * @param what the mapping, in the messages ("a credential", "'limits'")
     */
    final Map<String, Node> fields(Node node, Set<String> allowed, String what) {
        MappingNode map = mapping(node, what);
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), "unknown key '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
            }
            if (fields.put(key, t.getValueNode()) != null) {
                throw error(t.getKeyNode(), "'" + key + "' appears twice in " + what);
            }
        }
        return fields;
    }

    final String required(Node owner, Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null) {
            throw error(owner, "missing '" + key + "'");
        }
        return nonEmpty(node, key);
    }

    /** A scalar with its placeholders resolved and trimmed, refused when that leaves nothing. */
    final String nonEmpty(Node node, String what) {
        String value = resolvePlaceholders(node, scalar(node, what)).trim();
        if (value.isEmpty()) {
            throw error(node, "'" + what + "' is empty");
        }
        return value;
    }

    final int positiveInt(Node node, String what) {
        long value = positiveLong(node, what);
        if (value > Integer.MAX_VALUE) {
            throw error(node, "'" + what + "' must be at most " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    final long positiveLong(Node node, String what) {
        String text = scalar(node, what);
        try {
            long value = Long.parseLong(resolvePlaceholders(node, text).trim());
            if (value < 1) {
                throw error(node, "'" + what + "' must be at least 1, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(node, "'" + what + "' must be a whole number, got '" + text + "'");
        }
    }

    final boolean bool(Node node, String what) {
        String text = resolvePlaceholders(node, scalar(node, what)).trim();
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(node, "'" + what + "' must be true or false, got '" + text + "'");
        };
    }

    final String resolvePlaceholders(Node node, String text) {
        String camel = ENV_ALIAS.matcher(text).replaceAll(alias -> Matcher.quoteReplacement(
                "{{" + ENV_FUNCTION + alias.group(1) + (alias.group(2) == null ? "" : ":" + alias.group(2)) + "}}"));
        Matcher m = PLACEHOLDER.matcher(camel);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(placeholder(node, m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * One placeholder resolved on its own, so that an error can name it without the text around it (which may be
     * the rest of a key). An empty environment variable counts as unset, as it always has here: {@code KEY=} in a
     * shell then behaves like no {@code KEY}, where Camel alone would take the empty value.
     */
    private String placeholder(Node node, String expression) {
        String value;
        try {
            value = properties.parseUri("{{" + expression + "}}");
        } catch (IllegalArgumentException e) {
            value = null;
        }
        if (expression.startsWith(ENV_FUNCTION)) {
            String reference = expression.substring(ENV_FUNCTION.length());
            int colon = reference.indexOf(':');
            if (value == null || value.isEmpty()) {
                if (colon < 0) {
                    throw error(node, "environment variable " + reference + " is not set");
                }
                value = reference.substring(colon + 1);
            }
            return value;
        }
        if (value == null) {
            throw error(node, "{{" + expression + "}} cannot be resolved (no such property, or its function failed)");
        }
        return value;
    }

    final MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(node, what + " must be a mapping of keys to values");
    }

    final String scalar(Node node, String what) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        // YAML reads an unquoted {{env:NAME}} as a mapping inside a mapping
        String hint = node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.FLOW
                ? " (a placeholder must be quoted: \"{{env:NAME}}\")" : "";
        throw error(node, what + " must be a single value, not a list or mapping" + hint);
    }

    final ConfigurationException error(Node node, String problem) {
        return new ConfigurationException(where(node == null ? null : node.getStartMark().orElse(null)) + ": " + problem);
    }

    /** The line a node starts on, 1-based, for messages that point at another entry; 0 when unknown. */
    static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    private String where(Mark mark) {
        return mark == null ? fileName : fileName + ":" + (mark.getLine() + 1);
    }
}
