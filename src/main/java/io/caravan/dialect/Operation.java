package io.caravan.dialect;

/**
 * What a caller asks of an upstream, in any dialect. The vocabulary the gateway routes by: a dialect names which of
 * these its endpoints offer, and where each goes upstream.
 */
public enum Operation {
    /** A chat answer, whole or streamed; may be served by a credential of any dialect, translated. */
    CHAT(true, true),
    /** A count of a request's input tokens; only a credential of the caller's own dialect can answer it. */
    COUNT_TOKENS(false, false),
    /**
     * Embeddings of input texts; only a credential of the caller's own dialect serves it, and only for the model
     * asked: vectors of two embedding models are not interchangeable, so nothing is translated.
     */
    EMBED(false, false);

    private final boolean translatable;
    private final boolean streamable;

    Operation(boolean translatable, boolean streamable) {
        this.translatable = translatable;
        this.streamable = streamable;
    }

    /** Whether a credential of another dialect may serve it through translation. */
    public boolean translatable() {
        return translatable;
    }

    /** Whether the caller may ask for a streamed answer. */
    public boolean streamable() {
        return streamable;
    }
}
