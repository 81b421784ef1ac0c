package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationRefused;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;
import java.time.Clock;

/**
 * A caller speaking the common model (OpenAI Chat Completions) served by a Gemini upstream (Google AI Studio); through
 * the common model also Anthropic and Responses callers. Stateless and thread-safe; each {@link #stream} call returns
 * a fresh state machine.
 *
 * <p>What Gemini cannot carry, and a prompt Gemini's filters blocked, are {@link TranslationRefused} 400s whose body
 * is in Gemini's shape, which {@link #error} re-shapes like any Gemini error. A stream ends with the usage chunk only
 * when the caller asked with {@code stream_options.include_usage}: {@link #stream(String)} cannot see the request, so
 * it assumes no.
 */
public final class GeminiUpstreamTranslator implements Translator {

    private final ChatToGeminiRequest requests;
    private final GeminiToChatResponse responses;
    private final GeminiToChatError errors = new GeminiToChatError();
    private final IdGenerator ids;
    private final Clock clock;

    public GeminiUpstreamTranslator(TranslationSettings settings) {
        this(settings, IdGenerator.random());
    }

    /** With the id source a test pins down. */
    public GeminiUpstreamTranslator(TranslationSettings settings, IdGenerator ids) {
        this(settings, ids, Clock.systemUTC());
    }

    /** With the id source and clock a test pins down. */
    GeminiUpstreamTranslator(TranslationSettings settings, IdGenerator ids, Clock clock) {
        this.requests = new ChatToGeminiRequest(settings);
        this.responses = new GeminiToChatResponse(ids, clock);
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public Dialect caller() {
        return OpenAiDialect.INSTANCE;
    }

    @Override
    public Dialect upstream() {
        return GeminiDialect.INSTANCE;
    }

    /**
     * The Gemini body; {@code upstreamModel} is not in it, as Gemini names the model in the path.
     *
     * @throws TranslationRefused when the request holds what Gemini cannot carry
     */
    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        return requests.translate(callerRequest);
    }

    /** @throws TranslationRefused when Gemini's safety filters blocked the prompt */
    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        return responses.translate(upstreamResponse, callerModel);
    }

    /** A stream without the final usage chunk. */
    @Override
    public StreamTranslator stream(String callerModel) {
        return new GeminiToChatStream(callerModel, false, ids, clock);
    }

    /** A stream that ends with the usage chunk when the caller's request asked for it. */
    @Override
    public StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        return new GeminiToChatStream(callerModel, includeUsageRequested(callerRequest), ids, clock);
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return errors.translate(status, upstreamBody);
    }

    private static boolean includeUsageRequested(JsonNode callerRequest) {
        return callerRequest != null && callerRequest.path(ChatWire.STREAM_OPTIONS)
                .path(ChatWire.INCLUDE_USAGE).asBoolean(false);
    }
}
