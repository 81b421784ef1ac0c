package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;

/**
 * A caller speaking Gemini ({@code generateContent} / {@code streamGenerateContent}) served by an upstream speaking
 * the common model (OpenAI Chat Completions), and chained through it by an Anthropic one. Stateless and thread-safe;
 * each {@link #stream} call returns a fresh state machine. Streamed requests ask the upstream for usage
 * ({@code stream_options.include_usage}), so the caller's last chunk carries real counts.
 */
public final class GeminiCallerTranslator implements Translator {

    private final GeminiToChatRequest requests;
    private final ChatToGeminiResponse responses;
    private final ChatToGeminiError errors = new ChatToGeminiError();
    private final IdGenerator ids;

    public GeminiCallerTranslator(TranslationSettings settings) {
        this(settings, IdGenerator.random());
    }

    /** With the id source a test pins down. */
    public GeminiCallerTranslator(TranslationSettings settings, IdGenerator ids) {
        this.requests = new GeminiToChatRequest(settings);
        this.responses = new ChatToGeminiResponse(ids);
        this.ids = ids;
    }

    @Override
    public Dialect caller() {
        return GeminiDialect.INSTANCE;
    }

    @Override
    public Dialect upstream() {
        return OpenAiDialect.INSTANCE;
    }

    /** @param callerRequest the caller's body with the {@code model} and {@code stream} the gate took from its path */
    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        return requests.translate(callerRequest, upstreamModel);
    }

    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        return responses.translate(upstreamResponse, callerModel);
    }

    /** A stream whose in-band errors carry no request id. */
    @Override
    public StreamTranslator stream(String callerModel) {
        return new ChatToGeminiStream(callerModel, null, ids);
    }

    @Override
    public StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        return new ChatToGeminiStream(callerModel, requestId, ids);
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return errors.translate(status, upstreamBody);
    }
}
