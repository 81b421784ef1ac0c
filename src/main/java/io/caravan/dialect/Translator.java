package io.caravan.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translates one exchange from the caller's dialect to an upstream of another dialect and back.
 * Implementations are plain code with no Camel dependency; they never mutate their arguments.
 */
public interface Translator {

    /** The dialect the caller speaks. */
    Dialect caller();

    /** The dialect of the upstream credential. */
    Dialect upstream();

    /**
     * The upstream request body for a caller request.
     *
     * @param callerRequest the caller's parsed request body
     * @param upstreamModel the model name to send upstream (aliases already resolved)
     */
    ObjectNode request(ObjectNode callerRequest, String upstreamModel);

    /** A non-streaming upstream success body in the caller's dialect, reporting {@code callerModel} as the model. */
    ObjectNode response(ObjectNode upstreamResponse, String callerModel);

    /** A fresh state machine for one streamed answer. */
    StreamTranslator stream(String callerModel);

    /**
     * A fresh state machine for one streamed answer that honours what the caller asked of the stream (an OpenAI
     * caller's {@code stream_options.include_usage}) and knows the request it serves (in-band errors that quote its
     * id), neither of which {@link #stream(String)} can see.
     *
     * @param requestId the gateway's request id, or {@code null}
     */
    default StreamTranslator stream(ObjectNode callerRequest, String callerModel, String requestId) {
        return stream(callerModel);
    }

    /**
     * An upstream error re-shaped into the caller's dialect error body; the status is kept by the caller of this
     * method. {@code upstreamBody} may be JSON in the upstream's dialect, HTML or empty.
     */
    ObjectNode error(int status, String upstreamBody);
}
