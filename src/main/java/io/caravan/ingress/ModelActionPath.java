package io.caravan.ingress;

import io.caravan.exchange.CallerError;
import io.caravan.exchange.CallerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads a path that names its model and the action asked of it, Google's way ({@code /v1beta/models/gemini-2.5-pro:
 * streamGenerateContent}): the last path segment, which the route takes as the header {@value #SEGMENT}, becomes
 * the exchange properties {@link CallerRequest#PATH_MODEL} and {@link CallerRequest#PATH_ACTION}, where a caller
 * cannot set them (a caller's header could). The route then sends the request on by its action.
 */
public final class ModelActionPath implements Processor {

    /** The route's path parameter: {@code {modelAction}} in {@code /v1beta/models/{modelAction}}. */
    public static final String SEGMENT = "modelAction";

    @Override
    public void process(Exchange exchange) throws CallerError {
        String segment = exchange.getIn().getHeader(SEGMENT, String.class);
        exchange.getIn().removeHeader(SEGMENT);
        int colon = segment == null ? -1 : segment.lastIndexOf(':');
        // The server decoded the segment already.
        String model = colon > 0 ? segment.substring(0, colon) : "";
        exchange.setProperty(CallerRequest.PATH_MODEL, model);
        exchange.setProperty(CallerRequest.PATH_ACTION, colon >= 0 ? segment.substring(colon + 1) : "");
    }
}
