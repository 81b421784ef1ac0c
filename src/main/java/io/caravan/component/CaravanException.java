package io.caravan.component;

import org.apache.camel.CamelException;

/**
 * The gateway did not answer a {@code caravan:} request with an answer: the exception its exchange fails with, to
 * be caught by type with {@code onException}. The subclasses say why; this class itself stands for the gateway's
 * own fault (HTTP 500). {@link #body()} is the error an HTTP caller of the same endpoint would get, in its dialect.
 */
public class CaravanException extends CamelException {

    private final int status;
    private final String body;
    private final String requestId;

    public CaravanException(String message, int status, String body, String requestId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body;
        this.requestId = requestId;
    }

    /** The HTTP status an HTTP caller would have been answered with. */
    public int status() {
        return status;
    }

    /** The error answer in the endpoint's dialect (JSON), as an HTTP caller would get it. */
    public String body() {
        return body;
    }

    /** The gateway's id of the request, as the access log names it. */
    public String requestId() {
        return requestId;
    }
}
