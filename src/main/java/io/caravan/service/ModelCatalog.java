package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.ModelRule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models the gateway serves, listed in either dialect's shape. Built once at start from the credentials:
 * exact names and alias names are listed; wildcard entries cannot be enumerated and are only logged at start.
 */
public final class ModelCatalog {

    /** Models served by credentials whose name starts with this are the built-in demo, and labelled so. */
    public static final String DEMO_PREFIX = "builtin-demo";

    private final Map<String, String> ownerByModel = new LinkedHashMap<>();
    private final byte[] openAiList;
    private final byte[] anthropicList;

    public ModelCatalog(CredentialPool pool, ObjectMapper mapper) throws Exception {
        // Each owner once per model, however many credentials of that kind serve it, in the order first seen.
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        for (Credential c : pool.credentials()) {
            for (ModelRule rule : c.spec().models()) {
                if (!rule.isWildcard()) {
                    String owner = c.name().startsWith(DEMO_PREFIX) ? "caravan built-in demo (no upstream)" : c.kind().id();
                    owners.computeIfAbsent(rule.pattern(), m -> new LinkedHashSet<>()).add(owner);
                }
            }
        }
        owners.forEach((model, set) -> ownerByModel.put(model, String.join(",", set)));
        long created = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();
        ObjectNode openAi = mapper.createObjectNode().put("object", "list");
        ArrayNode openAiData = openAi.putArray("data");
        ObjectNode anthropic = mapper.createObjectNode();
        ArrayNode anthropicData = anthropic.putArray("data");
        ownerByModel.forEach((model, owner) -> {
            openAiData.addObject().put("id", model).put("object", "model").put("created", created).put("owned_by", owner);
            anthropicData.addObject().put("type", "model").put("id", model)
                    .put("display_name", owner.startsWith("caravan") ? model + " (" + owner + ")" : model)
                    .put("created_at", "2025-01-01T00:00:00Z");
        });
        List<String> names = List.copyOf(ownerByModel.keySet());
        anthropic.put("has_more", false);
        anthropic.put("first_id", names.isEmpty() ? null : names.get(0));
        anthropic.put("last_id", names.isEmpty() ? null : names.get(names.size() - 1));
        this.openAiList = mapper.writeValueAsBytes(openAi);
        this.anthropicList = mapper.writeValueAsBytes(anthropic);
    }

    public Map<String, String> models() {
        return ownerByModel;
    }

    public byte[] openAiList() {
        return openAiList;
    }

    public byte[] anthropicList() {
        return anthropicList;
    }
}
