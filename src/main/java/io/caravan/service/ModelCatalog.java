package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.ModelRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The models the gateway serves, listed in either dialect's shape. Built once at start from the credentials:
 * exact names and alias names are listed; wildcard entries cannot be enumerated and are only logged at start.
 */
public final class ModelCatalog {

    /** Models served by credentials whose name starts with this are the built-in demo, and labelled so. */
    public static final String DEMO_PREFIX = "builtin-demo";
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";
    private static final long CREATED = Instant.parse(CREATED_AT).getEpochSecond();

    private final Map<String, String> ownerByModel = new LinkedHashMap<>();
    private final byte[] openAiList;
    private final byte[] anthropicList;
    private final ObjectMapper mapper;

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
        this.mapper = mapper;
        this.openAiList = openAiList(model -> true);
        this.anthropicList = anthropicList(model -> true);
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

    /** The OpenAI-shaped list of the models {@code allowed} lets through (a client's allow-list). */
    public byte[] openAiList(Predicate<String> allowed) {
        ObjectNode openAi = mapper.createObjectNode().put("object", "list");
        ArrayNode data = openAi.putArray("data");
        ownerByModel.forEach((model, owner) -> {
            if (allowed.test(model)) {
                data.addObject().put("id", model).put("object", "model").put("created", CREATED)
                        .put("owned_by", owner);
            }
        });
        return bytes(openAi);
    }

    /** The Anthropic-shaped list of the models {@code allowed} lets through. */
    public byte[] anthropicList(Predicate<String> allowed) {
        ObjectNode anthropic = mapper.createObjectNode();
        ArrayNode data = anthropic.putArray("data");
        List<String> names = new ArrayList<>();
        ownerByModel.forEach((model, owner) -> {
            if (allowed.test(model)) {
                names.add(model);
                data.addObject().put("type", "model").put("id", model)
                        .put("display_name", owner.startsWith("caravan") ? model + " (" + owner + ")" : model)
                        .put("created_at", CREATED_AT);
            }
        });
        anthropic.put("has_more", false);
        anthropic.put("first_id", names.isEmpty() ? null : names.get(0));
        anthropic.put("last_id", names.isEmpty() ? null : names.get(names.size() - 1));
        return bytes(anthropic);
    }

    private byte[] bytes(ObjectNode list) {
        try {
            return mapper.writeValueAsBytes(list);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", impossible);
        }
    }
}
