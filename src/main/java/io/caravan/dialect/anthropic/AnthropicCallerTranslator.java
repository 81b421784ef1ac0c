package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;

/**
 * A caller speaking Anthropic Messages served by an OpenAI-compatible Chat Completions upstream. Stateless and
 * thread-safe; each {@link #stream} call returns a fresh state machine. Streamed requests ask the upstream for
 * usage ({@code stream_options.include_usage}), so the caller's {@code message_delta} always carries real counts.
 */
public final class AnthropicCallerTranslator implements Translator {

    private final AnthropicToOpenAiRequest requests;
    private final OpenAiToAnthropicResponse responses;
    private final OpenAiToAnthropicError errors;
    private final IdGenerator ids;

    public AnthropicCallerTranslator(TranslationSettings settings) {
        this(settings, IdGenerator.random());
    }

    /** With the id source a test pins down. */
    public AnthropicCallerTranslator(TranslationSettings settings, IdGenerator ids) {
        this.requests = new AnthropicToOpenAiRequest(settings, ids);
        this.responses = new OpenAiToAnthropicResponse(ids);
        this.errors = new OpenAiToAnthropicError();
        this.ids = ids;
    }

    @Override
    public Dialect caller() {
        return AnthropicDialect.INSTANCE;
    }

    @Override
    public Dialect upstream() {
        return OpenAiDialect.INSTANCE;
    }

    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        return requests.translate(callerRequest, upstreamModel);
    }

    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        return responses.translate(upstreamResponse, callerModel);
    }

    /** A stream whose in-band errors carry no request id; see {@link #stream(String, String)}. */
    @Override
    public StreamTranslator stream(String callerModel) {
        return stream(callerModel, null);
    }

    /** A stream whose in-band errors quote {@code requestId}, as the gateway's own Anthropic errors do. */
    public StreamTranslator stream(String callerModel, String requestId) {
        return new OpenAiToAnthropicStream(callerModel, requestId, ids);
    }

    @Override
    public StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        return stream(callerModel, requestId);
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return errors.translate(status, upstreamBody);
    }
}
