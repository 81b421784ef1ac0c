package io.caravan.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The entry point for the gateway: the {@link Translator} between two dialects, made of the caller dialect's half
 * (caller ⇄ common model) and the upstream dialect's half (common model ⇄ upstream). A half is missing when that
 * side speaks the common model itself, so the pairs of today translate in one step; a pair of two other dialects
 * (a Gemini caller of an Anthropic credential) goes through the common model.
 */
public final class Translators {

    private Translators() {
    }

    /**
     * The translator between two different dialects. The result is stateless and may be kept and shared.
     *
     * @return the translator, or {@code null} when no credential can be of {@code upstream}'s dialect
     *         ({@link Dialect#servesCredentials()}): there is nothing to translate to
     * @throws IllegalArgumentException when both dialects are the same: such traffic is passed through, not
     *                                  translated
     */
    public static Translator between(Dialect caller, Dialect upstream, TranslationSettings settings) {
        if (caller == upstream) {
            throw new IllegalArgumentException("no translation from " + caller.id() + " to itself: "
                    + "same-dialect traffic is passed through");
        }
        if (!upstream.servesCredentials()) {
            return null;
        }
        Translator callerHalf = caller.callerTranslator(settings);
        Translator upstreamHalf = upstream.upstreamTranslator(settings);
        if (callerHalf == null) {
            return upstreamHalf;
        }
        return upstreamHalf == null ? callerHalf : through(callerHalf, upstreamHalf);
    }

    /**
     * Two halves joined at the common model: {@code callerHalf} translates between its caller's dialect and the
     * common model, {@code upstreamHalf} between the common model and its upstream's dialect.
     */
    public static Translator through(Translator callerHalf, Translator upstreamHalf) {
        return new TranslatorChain(callerHalf, upstreamHalf);
    }

    /** As {@link Translator#stream(ObjectNode, String, String)}, with no request id for in-band errors. */
    public static StreamTranslator stream(Translator translator, ObjectNode callerRequest, String callerModel) {
        return translator.stream(callerRequest, callerModel, null);
    }

    /** As {@link Translator#stream(ObjectNode, String, String)}. */
    public static StreamTranslator stream(Translator translator, ObjectNode callerRequest, String callerModel,
                                          String requestId) {
        return translator.stream(callerRequest, callerModel, requestId);
    }
}
