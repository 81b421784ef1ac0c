package io.caravan.clients;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The models one client may ask for: exact names and patterns where {@code *} stands for any run of characters
 * (none included); every other character is itself. Matched by hand rather than as regular expressions, so that a
 * name with regex characters in it ({@code gpt-4.1}) means only itself and a match costs no allocation.
 */
public final class ModelAllowList {

    public static final String ANY = "*";

    /** Every model: the default of a client without {@code models}. */
    public static final ModelAllowList ALL = new ModelAllowList(List.of(ANY));

    private final List<String> patterns;
    private final Set<String> exact;
    private final String[] wildcards;
    private final boolean all;

    private ModelAllowList(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        Set<String> names = new HashSet<>();
        List<String> globs = new ArrayList<>();
        for (String pattern : this.patterns) {
            if (pattern.indexOf('*') >= 0) {
                globs.add(pattern);
            } else {
                names.add(pattern);
            }
        }
        this.exact = Set.copyOf(names);
        this.wildcards = globs.toArray(String[]::new);
        this.all = this.patterns.contains(ANY);
    }

    /**
     * @throws IllegalArgumentException for an empty list (it would allow nothing: disable the client instead) or an
     *     empty entry
     */
    public static ModelAllowList of(List<String> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a model allow-list needs at least one name or pattern");
        }
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("a model allow-list entry is empty");
            }
        }
        return new ModelAllowList(patterns);
    }

    /** Whether the client may ask for {@code model}; no model ({@code null}) is allowed only by {@link #ALL}-like lists. */
    public boolean allows(String model) {
        if (all) {
            return true;
        }
        if (model == null) {
            return false;
        }
        if (exact.contains(model)) {
            return true;
        }
        for (String wildcard : wildcards) {
            if (matches(wildcard, model)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this list allows every model (it holds a lone {@code *}). */
    public boolean allowsAll() {
        return all;
    }

    /** The names and patterns as given, in their order. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * Glob match with {@code *} only: walks both strings once, going back to just after the last {@code *} when the
     * literal part after it stops matching.
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelAllowList list && list.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", patterns);
    }
}
