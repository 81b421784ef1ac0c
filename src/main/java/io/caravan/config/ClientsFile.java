package io.caravan.config;

import io.caravan.clients.BudgetPeriod;
import io.caravan.clients.ClientKeys;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.Expiry;
import io.caravan.clients.ModelAllowList;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.PropertiesComponent;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the clients YAML file ({@code caravan.clients-file}): the keys callers present and what each may do. Every
 * problem is one {@link ConfigurationException} naming the file, the line and what is wrong, never a key. A plain
 * key is hashed as soon as it is read; only its SHA-256 digest reaches the {@link ClientSpec}.
 *
 * <pre>
 * clients:
 *   - name: claude-code-team            # unique, [A-Za-z0-9._-]{1,64}; in logs and metrics
 *     key: "{{env:TEAM_KEY}}"           # or key-sha256: 64 hex digits (the plain key then never on disk)
 *     models: ["claude-*", gpt-4o]      # allow-list; default: every model
 *     limits:
 *       requests-per-minute: 60
 *       tokens-per-minute: 100000
 *       max-concurrent: 4
 *       budget: {tokens: 5000000, per: month}   # per: day | month (UTC)
 *     expires: 2027-01-01T00:00:00Z     # or a date, 2027-01-01 (its start, UTC)
 *     enabled: true
 * </pre>
 */
public final class ClientsFile extends YamlConfigFile {

    static final String KEY = "key";
    static final String KEY_SHA256 = "key-sha256";
    private static final Set<String> FIELDS = orderedSet("name", KEY, KEY_SHA256, "models", "limits", "expires", "enabled");
    private static final Set<String> LIMIT_FIELDS = orderedSet(ClientLimits.REQUESTS_PER_MINUTE,
            ClientLimits.TOKENS_PER_MINUTE, ClientLimits.MAX_CONCURRENT, ClientLimits.BUDGET);
    private static final Set<String> BUDGET_FIELDS = orderedSet(ClientLimits.BUDGET_TOKENS, ClientLimits.BUDGET_PER);

    private ClientsFile(String fileName, PropertiesComponent properties) {
        super(fileName, properties);
    }

    /**
     * Loads the file; a missing file means no clients (the gateway then runs on {@code caravan.client-keys}, or open).
     * Values are resolved with Camel's properties component, as in the credentials file.
     */
    public static List<ClientSpec> load(Path file, PropertiesComponent properties) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new ClientsFile(file.toString(), properties).parse(reader);
        } catch (IOException e) {
            throw new ConfigurationException("clients file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code fileName} only names the source in error messages. */
    public static List<ClientSpec> parse(String fileName, String yaml, PropertiesComponent properties) {
        return new ClientsFile(fileName, properties).parse(new StringReader(yaml));
    }

    private List<ClientSpec> parse(Reader reader) {
        List<ClientSpec> specs = new ArrayList<>();
        Map<String, Node> names = new HashMap<>();
        Map<String, Node> keys = new HashMap<>();
        Map<String, String> keyOwners = new HashMap<>();
        for (Node item : sectionItems(reader, "clients", "clients")) {
            ClientSpec spec = client(item);
            Node sameName = names.putIfAbsent(spec.name(), item);
            if (sameName != null) {
                throw error(item, "duplicate client name '" + spec.name() + "' (also on line " + line(sameName) + ")");
            }
            Node sameKey = keys.putIfAbsent(spec.keySha256(), item);
            if (sameKey != null) {
                throw error(item, "client '" + spec.name() + "' has the same key as client '"
                        + keyOwners.get(spec.keySha256()) + "' (line " + line(sameKey) + "): each client needs its own");
            }
            keyOwners.put(spec.keySha256(), spec.name());
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private ClientSpec client(Node node) {
        Map<String, Node> fields = fields(node, FIELDS, "a client");
        String name = required(node, fields, "name");
        if (!ClientSpec.NAME.matcher(name).matches()) {
            throw error(fields.get("name"), "a client name is 1 to 64 of A-Z a-z 0-9 . _ -, not '" + name + "'");
        }
        if (ClientRegistry.ANYONE.equals(name)) {
            throw error(fields.get("name"), "'" + ClientRegistry.ANYONE
                    + "' names every caller of a gateway without keys; choose another name");
        }
        String digest = keyDigest(node, fields);
        ModelAllowList models = fields.containsKey("models") ? models(fields.get("models")) : ModelAllowList.ALL;
        ClientLimits limits = fields.containsKey("limits") ? limits(fields.get("limits")) : ClientLimits.NONE;
        Instant expires = fields.containsKey("expires") ? expires(fields.get("expires")) : null;
        boolean enabled = !fields.containsKey("enabled") || bool(fields.get("enabled"), "enabled");
        return new ClientSpec(name, digest, models, limits, expires, enabled, ClientSpec.Origin.FILE);
    }

    /** The key's SHA-256 digest in hex, from {@code key} (hashed here, not kept) or {@code key-sha256}. */
    private String keyDigest(Node client, Map<String, Node> fields) {
        Node plain = fields.get(KEY);
        Node hashed = fields.get(KEY_SHA256);
        if (plain != null && hashed != null) {
            throw error(hashed, "a client has either '" + KEY + "' or '" + KEY_SHA256 + "', not both");
        }
        if (plain == null && hashed == null) {
            throw error(client, "missing '" + KEY + "' (the key callers present) or '" + KEY_SHA256
                    + "' (its SHA-256 digest in hex)");
        }
        if (plain != null) {
            String key = resolvePlaceholders(plain, scalar(plain, KEY)).trim();
            if (key.isEmpty()) {
                throw error(plain, "'" + KEY + "' is empty (after resolving its placeholders)");
            }
            return ClientKeys.sha256Hex(key);
        }
        String hex = nonEmpty(hashed, KEY_SHA256);
        if (!ClientKeys.isSha256Hex(hex)) {
            throw error(hashed, "'" + KEY_SHA256 + "' must be 64 hex digits (a SHA-256 digest, e.g. from "
                    + "`printf %s \"$KEY\" | sha256sum`), got " + hex.length() + " characters");
        }
        return hex;
    }

    private ModelAllowList models(Node node) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw error(node, "'models' must be a non-empty list of model names and * patterns (leave it out to "
                    + "allow every model)");
        }
        List<String> patterns = new ArrayList<>();
        for (Node item : list.getValue()) {
            patterns.add(nonEmpty(item, "a model name"));
        }
        return ModelAllowList.of(patterns);
    }

    private ClientLimits limits(Node node) {
        Map<String, Node> fields = fields(node, LIMIT_FIELDS, "'limits'");
        Integer rpm = fields.containsKey(ClientLimits.REQUESTS_PER_MINUTE)
                ? positiveInt(fields.get(ClientLimits.REQUESTS_PER_MINUTE), ClientLimits.REQUESTS_PER_MINUTE) : null;
        Long tpm = fields.containsKey(ClientLimits.TOKENS_PER_MINUTE)
                ? positiveLong(fields.get(ClientLimits.TOKENS_PER_MINUTE), ClientLimits.TOKENS_PER_MINUTE) : null;
        Integer concurrent = fields.containsKey(ClientLimits.MAX_CONCURRENT)
                ? positiveInt(fields.get(ClientLimits.MAX_CONCURRENT), ClientLimits.MAX_CONCURRENT) : null;
        Long budgetTokens = null;
        BudgetPeriod period = null;
        Node budget = fields.get(ClientLimits.BUDGET);
        if (budget != null) {
            Map<String, Node> budgetFields = fields(budget, BUDGET_FIELDS, "'budget'");
            if (!budgetFields.containsKey(ClientLimits.BUDGET_TOKENS)) {
                throw error(budget, "the budget needs 'tokens' (how many tokens per period)");
            }
            budgetTokens = positiveLong(budgetFields.get(ClientLimits.BUDGET_TOKENS), "tokens");
            String per = required(budget, budgetFields, ClientLimits.BUDGET_PER);
            try {
                period = BudgetPeriod.fromId(per);
            } catch (IllegalArgumentException e) {
                throw error(budgetFields.get(ClientLimits.BUDGET_PER), e.getMessage());
            }
        }
        return new ClientLimits(rpm, tpm, concurrent, budgetTokens, period);
    }

    private Instant expires(Node node) {
        String text = nonEmpty(node, "expires");
        try {
            return Expiry.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private static Set<String> orderedSet(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }
}
