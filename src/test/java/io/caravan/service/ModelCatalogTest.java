package io.caravan.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CooldownPolicy POLICY = new CooldownPolicy(
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1));

    private static CredentialSpec spec(String name, Dialect kind, String... models) {
        List<ModelRule> rules = java.util.Arrays.stream(models).map(ModelRule::exactOrWildcard).toList();
        return new CredentialSpec(name, kind, "https://upstream.example", "key-" + name, rules, 4, true);
    }

    @Test
    void eachOwnerIsListedOnceHoweverManyOfItsCredentialsServeTheModel() throws Exception {
        CredentialPool pool = new CredentialPool(List.of(
                spec("o1", Dialects.OPENAI, "shared", "gpt-only"),
                spec("a1", Dialects.ANTHROPIC, "shared"),
                spec("a2", Dialects.ANTHROPIC, "shared"),
                spec("o2", Dialects.OPENAI, "shared", "gpt-only")), POLICY, 10);

        ModelCatalog catalog = new ModelCatalog(pool, JSON);

        assertEquals("openai,anthropic", catalog.models().get("shared"));
        assertEquals("openai", catalog.models().get("gpt-only"));
        JsonNode listed = JSON.readTree(catalog.openAiList()).path("data");
        assertEquals("openai,anthropic", listed.path(0).path("owned_by").asText(), listed.toString());
        assertEquals(2, listed.size(), listed.toString());
    }
}
