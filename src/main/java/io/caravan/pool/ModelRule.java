package io.caravan.pool;

import java.util.regex.Pattern;

/**
 * One entry of a credential's model list: an exact name, a {@code *} wildcard, or an alias that publishes an
 * upstream model under another name.
 */
public final class ModelRule {

    private final String pattern;
    private final String upstream;
    private final Pattern wildcard;

    /**
     * @param pattern the public name or wildcard callers use
     * @param upstream the upstream model name for an alias, or {@code null} to send the public name unchanged
     */
    public ModelRule(String pattern, String upstream) {
        this.pattern = pattern;
        this.upstream = upstream;
        this.wildcard = pattern.indexOf('*') >= 0 ? globToRegex(pattern) : null;
        if (upstream != null && wildcard != null) {
            throw new IllegalArgumentException("an alias needs an exact public name, not a wildcard: " + pattern);
        }
    }

    public static ModelRule exactOrWildcard(String pattern) {
        return new ModelRule(pattern, null);
    }

    public String pattern() {
        return pattern;
    }

    public boolean isWildcard() {
        return wildcard != null;
    }

    public boolean matches(String model) {
        return wildcard == null ? pattern.equals(model) : wildcard.matcher(model).matches();
    }

    public String upstreamName(String model) {
        return upstream != null ? upstream : model;
    }

    /** Same public pattern and upstream name: a reload compares credentials' specs, models included. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ModelRule rule && rule.pattern.equals(pattern)
                && java.util.Objects.equals(rule.upstream, upstream);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode() * 31 + java.util.Objects.hashCode(upstream);
    }

    @Override
    public String toString() {
        return upstream == null ? pattern : pattern + " -> " + upstream;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
