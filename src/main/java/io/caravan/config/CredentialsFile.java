package io.caravan.config;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import io.caravan.pool.SelectionPolicy;
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
import java.util.Set;
import org.apache.camel.spi.PropertiesComponent;
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
 *     kind: openai                       # openai | anthropic | gemini
 *     base-url: https://api.openai.com/v1
 *     api-key: {{env:OPENAI_API_KEY}}         # any Camel placeholder; ${env:NAME} still works
 *     models: [gpt-4o, "gpt-4.1*", {name: fast, upstream: gpt-4o-mini}]
 *     apis: [chat, responses]            # the provider's APIs it serves; default: its kind's own (chat | messages)
 *     max-concurrent: 16
 *     enabled: true
 *     weight: 3                          # its share under the weighted strategy, 1..1000; default 1
 *     tier: 1                            # tier 1 serves first, tier 2 only when no tier-1 one can; default 1
 * routing:                               # optional: how the pool chooses among a model's credentials
 *   strategy: round-robin                # (RoutingSection)
 * </pre>
 */
public final class CredentialsFile extends YamlConfigFile {

    public static final int DEFAULT_MAX_CONCURRENT = 64;
    private static final String CREDENTIALS = "credentials";
    /** The file's top-level sections, in the order the error messages list them. */
    private static final List<String> SECTIONS =
            List.of(CREDENTIALS, RoutingSection.NAME, FallbacksSection.NAME, PayloadRulesSection.SECTION);
    private static final Set<String> KEYS = Set.of("name", "kind", "base-url", "api-key", "models", "max-concurrent",
            "enabled", "apis", "weight", "tier");

    private CredentialsFile(String fileName, PropertiesComponent properties) {
        super(fileName, properties);
    }

    /**
     * Loads the file; a missing file is an error (the caller decides whether a file is configured at all). Values
     * are resolved with Camel's properties component, so {@code {{env:NAME}}}, {@code {{sys:name}}}, the vault
     * functions of the components on the class path and plain {@code {{property}}} references all work.
     */
    public static CredentialsConfig load(Path file, PropertiesComponent properties) {
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
    public static CredentialsConfig parse(String fileName, String yaml, PropertiesComponent properties) {
        return new CredentialsFile(fileName, properties).parse(new java.io.StringReader(yaml));
    }

    private CredentialsConfig parse(Reader reader) {
        Map<String, Node> sections = sections(reader, SECTIONS);
        return new CredentialsConfig(credentials(sections.get(CREDENTIALS)),
                new RoutingSection(this).policy(sections.get(RoutingSection.NAME)),
                FallbacksSection.read(this, sections.get(FallbacksSection.NAME)),
                PayloadRulesSection.parse(this, sections.get(PayloadRulesSection.SECTION)));
    }

    private List<CredentialSpec> credentials(Node section) {
        List<CredentialSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node item : items(section, CREDENTIALS, "credentials")) {
            CredentialSpec spec = credential(item);
            if (!names.add(spec.name())) {
                throw error(item, "duplicate credential name '" + spec.name() + "'");
            }
            specs.add(spec);
        }
        return specs;
    }

    private CredentialSpec credential(Node node) {
        Map<String, Node> fields = fields(node, KEYS, "a credential");
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
        int weight = fields.containsKey("weight") ? weight(fields.get("weight")) : CredentialSpec.DEFAULT_WEIGHT;
        int tier = fields.containsKey("tier") ? positiveInt(fields.get("tier"), "tier") : CredentialSpec.DEFAULT_TIER;
        return new CredentialSpec(name, kind, baseUrl, apiKey, models, maxConcurrent, enabled, apis, weight, tier);
    }

    private int weight(Node node) {
        int weight = positiveInt(node, "weight");
        if (weight > CredentialSpec.MAX_WEIGHT) {
            throw error(node, "'weight' must be at most " + CredentialSpec.MAX_WEIGHT + ", got " + weight);
        }
        return weight;
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

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

}
