package io.caravan.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.pool.ModelRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Payload rules applied to request trees: each kind, their order, field paths and the copies they make. */
class PayloadRewriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static JsonNode value(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static Map<FieldPath, JsonNode> fields(String... pathsAndValues) throws Exception {
        Map<FieldPath, JsonNode> fields = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            fields.put(FieldPath.parse(pathsAndValues[i]), value(pathsAndValues[i + 1]));
        }
        return fields;
    }

    private static PayloadRule rule(Map<FieldPath, JsonNode> defaults, Map<FieldPath, JsonNode> overrides,
            Map<FieldPath, JsonNode> caps, String... remove) {
        return new PayloadRule(List.of(ModelRule.exactOrWildcard("*")), Set.of(), defaults, overrides, caps,
                java.util.Arrays.stream(remove).map(FieldPath::parse).toList());
    }

    private static String applied(PayloadRule rule, String body) throws Exception {
        ObjectNode tree = json(body);
        PayloadRewrite.apply(List.of(rule), tree);
        return tree.toString();
    }

    @Test
    void aDefaultIsSetOnlyWhereTheRequestHasNoValue() throws Exception {
        PayloadRule rule = rule(fields("reasoning_effort", "\"high\"", "generationConfig.maxOutputTokens", "512"),
                Map.of(), Map.of());
        assertEquals("{\"reasoning_effort\":\"low\",\"generationConfig\":{\"maxOutputTokens\":64}}",
                applied(rule, "{\"reasoning_effort\":\"low\",\"generationConfig\":{\"maxOutputTokens\":64}}"));
        assertEquals("{\"reasoning_effort\":\"high\",\"generationConfig\":{\"maxOutputTokens\":512}}",
                applied(rule, "{}"));
        // JSON null is "not given", as the providers read it
        assertEquals("{\"reasoning_effort\":\"high\",\"generationConfig\":{\"topK\":3,\"maxOutputTokens\":512}}",
                applied(rule, "{\"reasoning_effort\":null,\"generationConfig\":{\"topK\":3}}"));
    }

    @Test
    void anOverrideIsAlwaysSetMakingTheObjectsOnTheWay() throws Exception {
        PayloadRule rule = rule(Map.of(), fields("service_tier", "\"default\"", "thinking",
                "{\"type\":\"enabled\",\"budget_tokens\":2048}", "metadata.team.name", "\"core\""), Map.of());
        assertEquals("{\"service_tier\":\"default\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                        + "\"metadata\":{\"team\":{\"name\":\"core\"}}}",
                applied(rule, "{\"service_tier\":\"flex\",\"thinking\":{\"type\":\"disabled\"}}"));
    }

    @Test
    void aCapLowersANumberAboveItAndNothingElse() throws Exception {
        PayloadRule rule = rule(Map.of(), Map.of(), fields("max_tokens", "8192", "generationConfig.temperature", "0.5"));
        assertEquals("{\"max_tokens\":8192}", applied(rule, "{\"max_tokens\":32000}"));
        assertEquals("{\"max_tokens\":100}", applied(rule, "{\"max_tokens\":100}"));
        assertEquals("{\"max_tokens\":8192}", applied(rule, "{\"max_tokens\":8192}"));
        assertEquals("{\"generationConfig\":{\"temperature\":0.5}}",
                applied(rule, "{\"generationConfig\":{\"temperature\":0.9}}"));
        // a cap sets no limit the request does not have, and leaves a value that is no number
        assertEquals("{}", applied(rule, "{}"));
        assertEquals("{\"max_tokens\":\"lots\"}", applied(rule, "{\"max_tokens\":\"lots\"}"));
    }

    @Test
    void removeTakesOutTopLevelAndNestedFieldsAndLeavesTheRest() throws Exception {
        PayloadRule rule = rule(Map.of(), Map.of(), Map.of(), "service_tier", "metadata.trace", "absent.field");
        assertEquals("{\"model\":\"m\",\"metadata\":{\"user\":\"u\"}}",
                applied(rule, "{\"model\":\"m\",\"service_tier\":\"priority\",\"metadata\":{\"trace\":\"t\",\"user\":\"u\"}}"));
        assertEquals("{\"metadata\":\"not an object\"}", applied(rule, "{\"metadata\":\"not an object\"}"));
    }

    @Test
    void aRuleAppliesDefaultsThenOverridesThenCapsThenRemovals() throws Exception {
        PayloadRule rule = rule(fields("max_tokens", "50000"), fields("temperature", "1"), fields("max_tokens", "8192"),
                "temperature");
        assertEquals("{\"max_tokens\":8192}", applied(rule, "{}"));
    }

    @Test
    void rulesApplyInOrderEachOnWhatTheOneBeforeLeft() throws Exception {
        PayloadRule first = rule(Map.of(), fields("max_tokens", "9000"), Map.of());
        PayloadRule second = rule(Map.of(), Map.of(), fields("max_tokens", "4000"));
        ObjectNode tree = json("{\"max_tokens\":100}");
        PayloadRewrite.apply(List.of(first, second), tree);
        assertEquals("{\"max_tokens\":4000}", tree.toString());
    }

    @Test
    void aPathThatMeetsAnArrayOrAValueChangesNothing() throws Exception {
        PayloadRule rule = rule(Map.of(), fields("messages.role", "\"system\"", "stop.x", "1"), Map.of(), "messages.content");
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":\"END\"}";
        assertEquals(body, applied(rule, body));
    }

    @Test
    void objectsShareNothingWithTheTreeBeforeOrTheRule() throws Exception {
        ObjectNode shared = json("{\"trace\":\"t\",\"user\":\"u\"}");
        ObjectNode body = JSON.createObjectNode();
        body.set("metadata", shared);
        PayloadRule rule = rule(Map.of(), fields("thinking", "{\"type\":\"enabled\"}"), fields("thinking.budget_tokens", "1"),
                "metadata.trace");
        PayloadRewrite.apply(List.of(rule), body);
        assertEquals("{\"user\":\"u\"}", body.get("metadata").toString());
        assertEquals("{\"trace\":\"t\",\"user\":\"u\"}", shared.toString(), "the tree translated from is untouched");

        PayloadRule capsTheOverride = rule(Map.of(), Map.of(), fields("thinking.budget_tokens", "1024"));
        ObjectNode next = json("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}}");
        JsonNode before = next.get("thinking");
        PayloadRewrite.apply(List.of(capsTheOverride), next);
        assertEquals("{\"type\":\"enabled\",\"budget_tokens\":1024}", next.get("thinking").toString());
        assertEquals("{\"type\":\"enabled\",\"budget_tokens\":4096}", before.toString());
        assertEquals("{\"type\":\"enabled\"}", rule.overrides().get(FieldPath.parse("thinking")).toString(),
                "the rule's own value is untouched");
    }

    @Test
    void fieldPathsSplitOnDotsAndEscapeWithABackslash() throws Exception {
        FieldPath dotted = FieldPath.parse("a\\.b.c\\\\d");
        ObjectNode tree = json("{}");
        assertTrue(dotted.set(tree, value("1")));
        assertEquals("{\"a.b\":{\"c\\\\d\":1}}", tree.toString());
        assertEquals("a.b", dotted.topLevelKey());
        assertEquals(value("1"), dotted.get(tree));
        assertTrue(dotted.remove(tree));
        assertFalse(dotted.remove(tree));
        assertEquals(FieldPath.parse("x.y"), FieldPath.parse("x.y"));
        for (String bad : List.of("", ".a", "a.", "a..b", "a\\b", "a\\")) {
            assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(bad), bad);
        }
    }

    @Test
    void rulesApplyToTheModelsTheyNameOnTheCredentialsTheyName() {
        PayloadRule everywhere = new PayloadRule(List.of(ModelRule.exactOrWildcard("gpt-5*"),
                ModelRule.exactOrWildcard("o3")), Set.of(), Map.of(), Map.of(), Map.of(), List.of(FieldPath.parse("x")));
        PayloadRule onMain = new PayloadRule(List.of(ModelRule.exactOrWildcard("o3")), Set.of("main"), Map.of(),
                Map.of(), Map.of(), List.of(FieldPath.parse("y")));
        PayloadRules rules = new PayloadRules(List.of(everywhere, onMain));
        assertEquals(List.of(everywhere), rules.applyingTo("gpt-5-mini", "main"));
        assertEquals(List.of(everywhere, onMain), rules.applyingTo("o3", "main"));
        assertEquals(List.of(everywhere), rules.applyingTo("o3", "spare"));
        assertEquals(List.of(), rules.applyingTo("o3-mini", "main"));
        assertSame(List.of(), PayloadRules.NONE.applyingTo("o3", "main"));
    }
}
