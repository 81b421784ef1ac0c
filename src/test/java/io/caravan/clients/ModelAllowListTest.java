package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAllowListTest {

    @Test
    void exactNamesMatchOnlyThemselves() {
        ModelAllowList list = ModelAllowList.of(List.of("gpt-4o", "claude-sonnet-4"));
        assertTrue(list.allows("gpt-4o"));
        assertTrue(list.allows("claude-sonnet-4"));
        assertFalse(list.allows("gpt-4o-mini"));
        assertFalse(list.allows("GPT-4O"), "names are case-sensitive, as the providers' are");
        assertFalse(list.allows(""));
        assertFalse(list.allows(null));
    }

    @Test
    void aStarMatchesAnyRunOfCharactersIncludingNone() {
        ModelAllowList list = ModelAllowList.of(List.of("claude-*"));
        assertTrue(list.allows("claude-"));
        assertTrue(list.allows("claude-sonnet-4-5"));
        assertFalse(list.allows("claude"));
        assertFalse(list.allows("my-claude-x"));

        ModelAllowList suffix = ModelAllowList.of(List.of("*-mini"));
        assertTrue(suffix.allows("gpt-4o-mini"));
        assertFalse(suffix.allows("gpt-4o-mini-2024"));

        ModelAllowList middle = ModelAllowList.of(List.of("gpt-*-mini*"));
        assertTrue(middle.allows("gpt-4o-mini"));
        assertTrue(middle.allows("gpt-4.1-mini-2025-04-14"));
        assertFalse(middle.allows("gpt-4o"));
    }

    @Test
    void matchingGoesBackWhenALiteralPartFailsLater() {
        assertTrue(ModelAllowList.matches("a*b", "aXbYb"));
        assertFalse(ModelAllowList.matches("a*b", "aXbYc"));
        assertTrue(ModelAllowList.matches("*a*a*", "banana"));
        assertTrue(ModelAllowList.matches("**", ""));
        assertFalse(ModelAllowList.matches("a*", ""));
        assertTrue(ModelAllowList.matches("o*-*-high", "o3-mini-2025-high"));
    }

    @Test
    void everythingButTheStarIsLiteralRegexCharactersIncluded() {
        ModelAllowList list = ModelAllowList.of(List.of("gpt-4.1", "o[1]", "a+b"));
        assertTrue(list.allows("gpt-4.1"));
        assertFalse(list.allows("gpt-4x1"), "a dot is a dot");
        assertTrue(list.allows("o[1]"));
        assertFalse(list.allows("o1"));
        assertTrue(list.allows("a+b"));
        assertFalse(list.allows("aab"));
        assertFalse(ModelAllowList.of(List.of("gpt-4.1*")).allows("gpt-4x1-mini"));
    }

    @Test
    void allAllowsEveryModelAndALoneStarIsAll() {
        assertTrue(ModelAllowList.ALL.allows("anything"));
        assertTrue(ModelAllowList.ALL.allows(null));
        assertTrue(ModelAllowList.ALL.allowsAll());
        assertEquals(List.of("*"), ModelAllowList.ALL.patterns());
        assertTrue(ModelAllowList.of(List.of("gpt-4o", "*")).allowsAll());
        assertFalse(ModelAllowList.of(List.of("gpt-*")).allowsAll());
    }

    @Test
    void patternsKeepTheirOrderAndEqualListsAreEqual() {
        ModelAllowList list = ModelAllowList.of(List.of("b", "a*", "c"));
        assertEquals(List.of("b", "a*", "c"), list.patterns());
        assertEquals(list, ModelAllowList.of(Arrays.asList("b", "a*", "c")));
        assertEquals(list.hashCode(), ModelAllowList.of(List.of("b", "a*", "c")).hashCode());
        assertEquals("b, a*, c", list.toString());
    }

    @Test
    void anEmptyListOrEntryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelAllowList.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ModelAllowList.of(List.of("gpt-4o", " ")));
        assertThrows(IllegalArgumentException.class, () -> ModelAllowList.of(Arrays.asList("gpt-4o", null)));
    }
}
