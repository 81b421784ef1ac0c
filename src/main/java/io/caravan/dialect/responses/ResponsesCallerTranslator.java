package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.Translator;
import io.caravan.dialect.openai.OpenAiDialect;
import java.time.Clock;

/**
 * A caller speaking the OpenAI Responses API served by a Chat Completions upstream (and, chained through the common
 * model, by an Anthropic one). Stateless and thread-safe; each {@link #stream} call returns a fresh state machine.
 * Streamed requests ask the upstream for usage ({@code stream_options.include_usage}), so the caller's
 * {@code response.completed} always carries real counts.
 */
public final class ResponsesCallerTranslator implements Translator {

    private final ResponsesToChatRequest requests = new ResponsesToChatRequest();
    private final ChatToResponsesAnswer answers;
    private final ChatToResponsesError errors = new ChatToResponsesError();
    private final IdGenerator ids;
    private final Clock clock;

    public ResponsesCallerTranslator() {
        this(IdGenerator.random(), Clock.systemUTC());
    }

    /** With the id source and clock a test pins down. */
    public ResponsesCallerTranslator(IdGenerator ids, Clock clock) {
        this.answers = new ChatToResponsesAnswer(ids, clock);
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public Dialect caller() {
        return ResponsesDialect.INSTANCE;
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
        return answers.translate(upstreamResponse, callerModel);
    }

    @Override
    public StreamTranslator stream(String callerModel) {
        return new ChatToResponsesStream(callerModel, ids, clock);
    }

    @Override
    public ObjectNode error(int status, String upstreamBody) {
        return errors.translate(status, upstreamBody);
    }
}
