package io.caravan.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;
import java.time.Clock;

/**
 * A caller speaking OpenAI Chat Completions served by an Anthropic Messages upstream. Stateless and thread-safe;
 * each {@link #stream} call returns a fresh state machine.
 *
 * <p>An OpenAI caller gets a usage chunk at the end of a stream only if it asked with
 * {@code stream_options.include_usage}. The {@link Translator#stream(String)} method cannot see the request, so
 * it assumes no; {@link #stream(ObjectNode, String, String)} reads it from the request.
 */
public final class OpenAiCallerTranslator implements Translator {

    private final OpenAiToAnthropicRequest requests;
    private final AnthropicToOpenAiResponse responses;
    private final AnthropicToOpenAiError errors;
    private final IdGenerator ids;
    private final Clock clock;

    public OpenAiCallerTranslator(TranslationSettings settings) {
        this(settings, IdGenerator.random(), Clock.systemUTC());
    }

    /** With the id source and clock a test pins down. */
    public OpenAiCallerTranslator(TranslationSettings settings, IdGenerator ids, Clock clock) {
        this.requests = new OpenAiToAnthropicRequest(settings, ids);
        this.responses = new AnthropicToOpenAiResponse(ids, clock);
        this.errors = new AnthropicToOpenAiError();
        this.ids = ids;
        this.clock = clock;
    }

    /** Whether an OpenAI request asked for the final usage chunk ({@code stream_options.include_usage: true}). */
    public static boolean includeUsageRequested(JsonNode callerRequest) {
        return callerRequest != null
                && callerRequest.path(OpenAiWire.STREAM_OPTIONS).path(OpenAiWire.INCLUDE_USAGE).asBoolean(false);
    }

    @Override
    public Dialect caller() {
        return OpenAiDialect.INSTANCE;
    }

    @Override
    public Dialect upstream() {
        return AnthropicDialect.INSTANCE;
    }

    @Override
    public ObjectNode request(ObjectNode callerRequest, String upstreamModel) {
        return requests.translate(callerRequest, upstreamModel);
    }

    @Override
    public ObjectNode response(ObjectNode upstreamResponse, String callerModel) {
        return responses.translate(upstreamResponse, callerModel);
    }

    /** A stream without the final usage chunk; see {@link #stream(String, boolean)}. */
    @Override
    public StreamTranslator stream(String callerModel) {
        return stream(callerModel, false);
    }

    /** A stream that ends with the usage chunk when {@code includeUsage} (the caller's {@code include_usage}). */
    public StreamTranslator stream(String callerModel, boolean includeUsage) {
        return new AnthropicToOpenAiStream(callerModel, includeUsage, ids, clock);
    }

    /** A stream that ends with the usage chunk when the caller's request asked for it. */
    @Override
    public StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        return stream(callerModel, includeUsageRequested(callerRequest));
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return errors.translate(status, upstreamBody);
    }
}
