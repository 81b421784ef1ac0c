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
 * The models the gateway serves, listed in either dialect's shape. Built at start from the credentials, and again
 * after a reload changed them ({@link #refresh}): exact names and alias names are listed; wildcard entries cannot be
 * enumerated and are only logged at start.
 */
public final class ModelCatalog {

    /** Models served by credentials whose name starts with this are the built-in demo, and labelled so. */
    public static final String DEMO_PREFIX = "builtin-demo";
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";
    /** Gemini names a model {@code models/gemini-2.5-pro}. */
    private static final String GEMINI_NAME_PREFIX = "models/";
    private static final long CREATED = Instant.parse(CREATED_AT).getEpochSecond();

    private final CredentialPool pool;
    private final ObjectMapper mapper;
    /** The lists of the credentials as they were last built, replaced whole. */
    private volatile Listing listing;

    private record Listing(Map<String, String> ownerByModel, byte[] openAiList, byte[] anthropicList,
                           byte[] geminiList) {
    }

    public ModelCatalog(CredentialPool pool, ObjectMapper mapper) throws Exception {
        this.pool = pool;
        this.mapper = mapper;
        refresh();
    }

    /** Lists the pool's credentials as they are now (after a reload). */
    public void refresh() {
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
        Map<String, String> ownerByModel = new LinkedHashMap<>();
        owners.forEach((model, set) -> ownerByModel.put(model, String.join(",", set)));
        Map<String, String> models = java.util.Collections.unmodifiableMap(ownerByModel);
        listing = new Listing(models, openAiList(models, model -> true), anthropicList(models, model -> true),
                geminiList(models, model -> true));
    }

    public Map<String, String> models() {
        return listing.ownerByModel();
    }

    public byte[] openAiList() {
        return listing.openAiList();
    }

    public byte[] anthropicList() {
        return listing.anthropicList();
    }

    public byte[] geminiList() {
        return listing.geminiList();
    }

    /** The Gemini-shaped list of the models {@code allowed} lets through. */
    public byte[] geminiList(Predicate<String> allowed) {
        return geminiList(listing.ownerByModel(), allowed);
    }

    /** One model as OpenAI's {@code GET /v1/models/{model}} answers it, or {@code null} for a model not listed. */
    public byte[] openAiModel(String model) {
        String owner = listing.ownerByModel().get(model);
        return owner == null ? null : bytes(openAiModel(mapper.createObjectNode(), model, owner));
    }

    /**
     * One model as Gemini's {@code GET /v1beta/models/{model}} answers it, or {@code null} for a model not listed.
     *
     * @param model its name, with or without Gemini's {@code models/} prefix
     */
    public byte[] geminiModel(String model) {
        String name = withoutGeminiPrefix(model);
        String owner = listing.ownerByModel().get(name);
        return owner == null ? null : bytes(geminiModel(mapper.createObjectNode(), name, owner));
    }

    /** A model name without Gemini's {@code models/} prefix, as the credentials list it. */
    public static String withoutGeminiPrefix(String model) {
        return model.startsWith(GEMINI_NAME_PREFIX) ? model.substring(GEMINI_NAME_PREFIX.length()) : model;
    }

    private byte[] geminiList(Map<String, String> ownerByModel, Predicate<String> allowed) {
        ObjectNode gemini = mapper.createObjectNode();
        ArrayNode models = gemini.putArray("models");
        ownerByModel.forEach((model, owner) -> {
            if (allowed.test(model)) {
                geminiModel(models.addObject(), model, owner);
            }
        });
        return bytes(gemini);
    }

    /**
     * A Gemini {@code Model}. Which methods a model supports is not configured: an embedding model is told by its
     * name, as every one of Google's is ({@code text-embedding-004}, {@code gemini-embedding-001}).
     */
    private static ObjectNode geminiModel(ObjectNode node, String model, String owner) {
        node.put("name", GEMINI_NAME_PREFIX + model).put("version", "caravan")
                .put("displayName", owner.startsWith("caravan") ? model + " (" + owner + ")" : model)
                .put("description", "Served by Caravan through " + owner + " credentials");
        ArrayNode methods = node.putArray("supportedGenerationMethods");
        if (model.contains("embedding")) {
            methods.add("embedContent").add("batchEmbedContents");
        } else {
            methods.add("generateContent").add("streamGenerateContent").add("countTokens");
        }
        return node;
    }

    private static ObjectNode openAiModel(ObjectNode node, String model, String owner) {
        return node.put("id", model).put("object", "model").put("created", CREATED).put("owned_by", owner);
    }

    /** The OpenAI-shaped list of the models {@code allowed} lets through (a client's allow-list). */
    public byte[] openAiList(Predicate<String> allowed) {
        return openAiList(listing.ownerByModel(), allowed);
    }

    /** The Anthropic-shaped list of the models {@code allowed} lets through. */
    public byte[] anthropicList(Predicate<String> allowed) {
        return anthropicList(listing.ownerByModel(), allowed);
    }

    private byte[] openAiList(Map<String, String> ownerByModel, Predicate<String> allowed) {
        ObjectNode openAi = mapper.createObjectNode().put("object", "list");
        ArrayNode data = openAi.putArray("data");
        ownerByModel.forEach((model, owner) -> {
            if (allowed.test(model)) {
                openAiModel(data.addObject(), model, owner);
            }
        });
        return bytes(openAi);
    }

    private byte[] anthropicList(Map<String, String> ownerByModel, Predicate<String> allowed) {
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
