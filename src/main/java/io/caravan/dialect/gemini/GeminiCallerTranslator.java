package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;

/** A caller speaking Gemini served by an upstream speaking the common model (OpenAI Chat Completions). Stateless and thread-safe. */
public final class GeminiCallerTranslator implements Translator {

    public GeminiCallerTranslator(TranslationSettings settings) {
        this(settings, IdGenerator.random());
    }

    /** With the id source a test pins down. */
    public GeminiCallerTranslator(TranslationSettings settings, IdGenerator ids) {
    }

    @Override
    public Dialect caller() {
        return GeminiDialect.INSTANCE;
    }

    @Override
    public Dialect upstream() {
        return OpenAiDialect.INSTANCE;
    }

    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public StreamTranslator stream(String callerModel) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        throw new UnsupportedOperationException("not built yet");
    }
}
