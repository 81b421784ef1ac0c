package io.caravan.config;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * Reads the credentials YAML file. Every problem is reported as one {@link ConfigurationException} naming the
 * file, the line and what is wrong, so the gateway never starts half-configured.
 *
 * <pre>
 * credentials:
 *   - name: openai-main
 *     kind: openai                       # openai | anthropic
 *     base-url: https://api.openai.com/v1
 *     api-key: {{env:OPENAI_API_KEY}}         # any Camel placeholder; ${env:NAME} still works
 *     models: [gpt-4o, "gpt-4.1*", {name: fast, upstream: gpt-4o-mini}]
 *     apis: [chat, responses]            # the provider's APIs it serves; default: its kind's own (chat | messages)
 *     max-concurrent: 16
 *     enabled: true
 * </pre>
 */
public final class CredentialsFile {

    public static final int DEFAULT_MAX_CONCURRENT = 64;
    private static final Set<String> KEYS =
            Set.of("name", "kind", "base-url", "api-key", "models", "max-concurrent", "enabled", "apis");
    /** The credentials file's own older syntax, {@code ${env:NAME}} or {@code ${env:NAME:default}}, kept as an alias. */
    private static final Pattern ENV_ALIAS = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    /** A Camel property placeholder: a property name or a function such as {@code env:NAME}, {@code sys:name}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.+?)}}");
    private static final String ENV_FUNCTION = "env:";

    private final String fileName;
    private final PropertiesComponent properties;

    private CredentialsFile(String fileName, PropertiesComponent properties) {
        this.fileName = fileName;
        this.properties = properties;
    }

    /**
     * Loads the file; a missing file is an error (the caller decides whether a file is configured at all). Values
     * are resolved with Camel's properties component, so {@code {{env:NAME}}}, {@code {{sys:name}}}, the vault
     * functions of the components on the class path and plain {@code {{property}}} references all work.
     */
    public static List<CredentialSpec> load(Path file, PropertiesComponent properties) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("credentials file " + file + " does not exist");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new CredentialsFile(file.toString(), properties).parse(reader);
        } catch (IOException e) {
            throw new ConfigurationException("credentials file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code fileName} only names the source in error messages. */
    public static List<CredentialSpec> parse(String fileName, String yaml, PropertiesComponent properties) {
        return new CredentialsFile(fileName, properties).parse(new java.io.StringReader(yaml));
    }

    private List<CredentialSpec> parse(Reader reader) {
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
        if (root.isEmpty()) {
            return List.of();
        }
        MappingNode top = mapping(root.get(), "the top level");
        List<CredentialSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean seen = false;
        for (NodeTuple entry : top.getValue()) {
            String key = scalar(entry.getKeyNode(), "a key");
            if (!"credentials".equals(key)) {
                throw error(entry.getKeyNode(), "unknown key '" + key + "' (expected 'credentials')");
            }
            if (seen) {
                throw error(entry.getKeyNode(), "'credentials' appears twice");
            }
            seen = true;
            if (entry.getValueNode() instanceof ScalarNode s && s.getValue().isEmpty()) {
                continue;
            }
            if (!(entry.getValueNode() instanceof SequenceNode list)) {
                throw error(entry.getValueNode(), "'credentials' must be a list of credentials");
            }
            for (Node item : list.getValue()) {
                CredentialSpec spec = credential(item);
                if (!names.add(spec.name())) {
                    throw error(item, "duplicate credential name '" + spec.name() + "'");
                }
                specs.add(spec);
            }
        }
        return specs;
    }

    private CredentialSpec credential(Node node) {
        MappingNode map = mapping(node, "a credential");
        Map<String, Node> fields = new java.util.LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!KEYS.contains(key)) {
                throw error(t.getKeyNode(), "unknown key '" + key + "' (allowed: " + String.join(", ", KEYS) + ")");
            }
            if (fields.put(key, t.getValueNode()) != null) {
                throw error(t.getKeyNode(), "'" + key + "' appears twice in one credential");
            }
        }
        String name = required(node, fields, "name");
        Dialect kind;
        try {
            kind = Dialects.fromId(required(node, fields, "kind"));
        } catch (IllegalArgumentException e) {
            throw error(fields.get("kind"), e.getMessage());
        }
        String baseUrl = stripTrailingSlash(required(node, fields, "base-url"));
        checkUrl(fields.get("base-url"), baseUrl);
        String apiKey = required(node, fields, "api-key");
        List<ModelRule> models = models(node, fields.get("models"));
        int maxConcurrent = fields.containsKey("max-concurrent")
                ? positiveInt(fields.get("max-concurrent"), "max-concurrent")
                : DEFAULT_MAX_CONCURRENT;
        boolean enabled = !fields.containsKey("enabled") || bool(fields.get("enabled"), "enabled");
        Set<Dialect> apis = fields.containsKey("apis") ? apis(kind, fields.get("apis")) : Set.of(kind);
        return new CredentialSpec(name, kind, baseUrl, apiKey, models, maxConcurrent, enabled, apis);
    }

    private Set<Dialect> apis(Dialect kind, Node node) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw error(node, "'apis' must be a non-empty list (of: " + String.join(", ", Dialects.apiNames(kind)) + ")");
        }
        Set<Dialect> apis = new HashSet<>();
        for (Node item : list.getValue()) {
            String name = scalar(item, "an API name");
            Dialect api = Dialects.api(kind, name);
            if (api == null) {
                throw error(item, "a credential of kind " + kind.id() + " cannot serve the API '" + name
                        + "' (it serves: " + String.join(", ", Dialects.apiNames(kind)) + ")");
            }
            if (!apis.add(api)) {
                throw error(item, "'" + name + "' appears twice in 'apis'");
            }
        }
        if (!apis.contains(kind)) {
            throw error(node, "'apis' must include " + kind.apiName() + ", the API of kind " + kind.id()
                    + ": requests of every other dialect are translated to it");
        }
        return apis;
    }

    private List<ModelRule> models(Node credential, Node node) {
        if (node == null) {
            throw error(credential, "missing 'models' (a list of model names, wildcards or aliases)");
        }
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw error(node, "'models' must be a non-empty list");
        }
        List<ModelRule> rules = new ArrayList<>();
        for (Node item : list.getValue()) {
            if (item instanceof ScalarNode) {
                rules.add(ModelRule.exactOrWildcard(nonEmpty(item, "a model name")));
            } else if (item instanceof MappingNode alias) {
                String publicName = null;
                String upstream = null;
                for (NodeTuple t : alias.getValue()) {
                    String key = scalar(t.getKeyNode(), "a key");
                    switch (key) {
                        case "name" -> publicName = nonEmpty(t.getValueNode(), "name");
                        case "upstream" -> upstream = nonEmpty(t.getValueNode(), "upstream");
                        default -> throw error(t.getKeyNode(), "unknown alias key '" + key + "' (allowed: name, upstream)");
                    }
                }
                if (publicName == null || upstream == null) {
                    throw error(item, "a model alias needs both 'name' (public) and 'upstream'");
                }
                try {
                    rules.add(new ModelRule(publicName, upstream));
                } catch (IllegalArgumentException e) {
                    throw error(item, e.getMessage());
                }
            } else {
                throw error(item, "a model entry must be a name or {name, upstream}");
            }
        }
        return List.copyOf(rules);
    }

    private String required(Node owner, Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null) {
            throw error(owner, "missing '" + key + "'");
        }
        return nonEmpty(node, key);
    }

    private String nonEmpty(Node node, String what) {
        String value = resolvePlaceholders(node, scalar(node, what)).trim();
        if (value.isEmpty()) {
            throw error(node, "'" + what + "' is empty");
        }
        return value;
    }

    private int positiveInt(Node node, String what) {
        String text = scalar(node, what);
        try {
            int value = Integer.parseInt(resolvePlaceholders(node, text).trim());
            if (value < 1) {
                throw error(node, "'" + what + "' must be at least 1, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(node, "'" + what + "' must be a whole number, got '" + text + "'");
        }
    }

    private boolean bool(Node node, String what) {
        String text = resolvePlaceholders(node, scalar(node, what)).trim();
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(node, "'" + what + "' must be true or false, got '" + text + "'");
        };
    }

    private void checkUrl(Node node, String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw error(node, "'base-url' must be an http(s) URL with a host, got '" + url + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw error(node, "'base-url' is not a valid URL: " + e.getReason());
        }
    }

    private String resolvePlaceholders(Node node, String text) {
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

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(node, what + " must be a mapping of keys to values");
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        // YAML reads an unquoted {{env:NAME}} as a mapping inside a mapping
        String hint = node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.FLOW
                ? " (a placeholder must be quoted: \"{{env:NAME}}\")" : "";
        throw error(node, what + " must be a single value, not a list or mapping" + hint);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private ConfigurationException error(Node node, String problem) {
        return new ConfigurationException(where(node == null ? null : node.getStartMark().orElse(null)) + ": " + problem);
    }

    private String where(Mark mark) {
        return mark == null ? fileName : fileName + ":" + (mark.getLine() + 1);
    }
}
