package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelRuleTest {

    @Test
    void anExactNameMatchesOnlyItself() {
        ModelRule rule = ModelRule.exactOrWildcard("gpt-4o");

        assertFalse(rule.isWildcard());
        assertTrue(rule.matches("gpt-4o"));
        assertFalse(rule.matches("gpt-4o-mini"));
        assertFalse(rule.matches("GPT-4O"));
        assertFalse(rule.matches("xgpt-4o"));
        assertFalse(rule.matches(""));
        assertEquals("gpt-4o", rule.upstreamName("gpt-4o"));
        assertEquals("gpt-4o", rule.toString());
    }

    @Test
    void aTrailingWildcardMatchesAPrefix() {
        ModelRule rule = ModelRule.exactOrWildcard("claude-*");

        assertTrue(rule.isWildcard());
        assertTrue(rule.matches("claude-sonnet-4"));
        assertTrue(rule.matches("claude-"), "* also matches nothing");
        assertFalse(rule.matches("claude"));
        assertFalse(rule.matches("my-claude-sonnet"));
        assertEquals("claude-opus-4", rule.upstreamName("claude-opus-4"), "a wildcard sends the name unchanged");
    }

    @Test
    void aLeadingWildcardMatchesASuffix() {
        ModelRule rule = ModelRule.exactOrWildcard("*-mini");

        assertTrue(rule.matches("gpt-4o-mini"));
        assertTrue(rule.matches("o3-mini"));
        assertFalse(rule.matches("gpt-4o-mini-2024"));
        assertFalse(rule.matches("mini"));
    }

    @Test
    void aWildcardInTheMiddleMatchesAnyInfix() {
        ModelRule rule = ModelRule.exactOrWildcard("gpt-*-preview");

        assertTrue(rule.matches("gpt-4o-preview"));
        assertTrue(rule.matches("gpt-4.5-realtime-preview"));
        assertTrue(rule.matches("gpt--preview"));
        assertFalse(rule.matches("gpt-4o-preview-2"));
        assertFalse(rule.matches("gpt-4o"));
    }

    @Test
    void severalWildcardsAndALoneStarWork() {
        assertTrue(ModelRule.exactOrWildcard("*").matches("anything-at-all"));
        assertTrue(ModelRule.exactOrWildcard("*").matches(""));
        ModelRule two = ModelRule.exactOrWildcard("*sonnet*");
        assertTrue(two.matches("claude-3-5-sonnet-latest"));
        assertFalse(two.matches("claude-3-opus"));
    }

    @Test
    void regexMetacharactersInNamesAreLiteral() {
        ModelRule wildcard = ModelRule.exactOrWildcard("gpt-4.1*");
        assertTrue(wildcard.matches("gpt-4.1"));
        assertTrue(wildcard.matches("gpt-4.1-mini"));
        assertFalse(wildcard.matches("gpt-4x1-mini"), "'.' must not match any character");
        assertFalse(wildcard.matches("gpt-401"));

        ModelRule brackets = ModelRule.exactOrWildcard("model(v1)+[x]?*");
        assertTrue(brackets.matches("model(v1)+[x]?-beta"));
        assertFalse(brackets.matches("modelv1x-beta"));

        ModelRule quoteEscape = ModelRule.exactOrWildcard("a\\E.b*");
        assertTrue(quoteEscape.matches("a\\E.b-1"), "a literal \\E must not end the quoting");
        assertFalse(quoteEscape.matches("a\\Exb-1"));

        ModelRule exactWithDot = ModelRule.exactOrWildcard("gpt-4.1");
        assertFalse(exactWithDot.matches("gpt-4x1"));
    }

    @Test
    void anAliasPublishesAnUpstreamModelUnderAnotherName() {
        ModelRule alias = new ModelRule("fast", "gpt-4o-mini");

        assertFalse(alias.isWildcard());
        assertTrue(alias.matches("fast"));
        assertFalse(alias.matches("gpt-4o-mini"));
        assertEquals("gpt-4o-mini", alias.upstreamName("fast"));
        assertEquals("fast", alias.pattern());
        assertEquals("fast -> gpt-4o-mini", alias.toString());
    }

    @Test
    void anAliasCannotBeAWildcard() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelRule("gpt-*", "gpt-4o"));
        assertTrue(e.getMessage().contains("gpt-*"), e.getMessage());
    }
}
