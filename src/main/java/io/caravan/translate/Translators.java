package io.caravan.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;

/** The entry point for the gateway: the {@link Translator} between two dialects. */
public final class Translators {

    private Translators() {
    }

    /** The translator between two different dialects, with default {@link TranslationSettings}. */
    public static Translator between(Dialect caller, Dialect upstream) {
        return between(caller, upstream, TranslationSettings.defaults());
    }

    /**
     * The translator between two different dialects. The result is stateless and may be kept and shared.
     *
     * @throws IllegalArgumentException when both dialects are the same: such traffic is passed through, not
     *                                  translated
     */
    public static Translator between(Dialect caller, Dialect upstream, TranslationSettings settings) {
        if (caller == upstream) {
            throw new IllegalArgumentException("no translation from " + caller.id() + " to itself: "
                    + "same-dialect traffic is passed through");
        }
        return caller == Dialect.OPENAI ? new OpenAiCallerTranslator(settings) : new AnthropicCallerTranslator(settings);
    }

    /** As {@link #stream(Translator, ObjectNode, String, String)}, with no request id for in-band errors. */
    public static StreamTranslator stream(Translator translator, ObjectNode callerRequest, String callerModel) {
        return stream(translator, callerRequest, callerModel, null);
    }

    /**
     * A stream translator that honours what the caller asked of the stream (an OpenAI caller's
     * {@code stream_options.include_usage}) and knows the request it serves (an Anthropic caller's in-band errors
     * quote its id), neither of which {@link Translator#stream(String)} can see.
     */
    public static StreamTranslator stream(Translator translator, ObjectNode callerRequest, String callerModel,
                                          String requestId) {
        if (translator instanceof OpenAiCallerTranslator openAiCaller) {
            return openAiCaller.stream(callerModel, OpenAiCallerTranslator.includeUsageRequested(callerRequest));
        }
        if (translator instanceof AnthropicCallerTranslator anthropicCaller) {
            return anthropicCaller.stream(callerModel, requestId);
        }
        return translator.stream(callerModel);
    }
}
