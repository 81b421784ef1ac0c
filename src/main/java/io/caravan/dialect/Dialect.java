package io.caravan.dialect;

/** The API dialects Caravan speaks, both towards callers and towards upstream credentials. */
public enum Dialect {
    OPENAI("openai"),
    ANTHROPIC("anthropic");

    private final String id;

    Dialect(String id) {
        this.id = id;
    }

    /** The lower-case name used in configuration files and logs. */
    public String id() {
        return id;
    }

    public static Dialect fromId(String id) {
        for (Dialect d : values()) {
            if (d.id.equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + id + "' (expected one of: openai, anthropic)");
    }
}
