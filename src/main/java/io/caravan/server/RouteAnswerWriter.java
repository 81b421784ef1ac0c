package io.caravan.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConverter;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.MessageHelper;
import org.apache.camel.support.ObjectHelper;
import org.apache.camel.support.http.HttpUtil;

/**
 * Writes the answer a route left in its message (the gateway's own routes answer the caller themselves; user routes
 * on {@code platform-http} endpoints and the test routes leave it in the message), as platform-http's own writer
 * does: the status from {@link Exchange#HTTP_RESPONSE_CODE} (200, or 204 without a body), the message headers that
 * the endpoint's {@link HeaderFilterStrategy} lets out (path parameters never), the message's content type, and the
 * body. Only public API of Camel's support classes and Vert.x is used.
 *
 * <p>A body in memory ({@link String} as UTF-8, {@code byte[]}, {@link Buffer}, {@link ByteBuffer}) is sent with a
 * {@code Content-Length} (platform-http sends a {@code String} or {@code Buffer} chunked; its length is known, so a
 * caller is better served knowing it). An {@link InputStream}, or a body that only converts to one, is sent chunked as it is
 * read: each read runs on a worker thread, since reading may block, and the next one waits while the caller's write
 * queue is full. A failed route never gets here: the consumer answers a failure itself.
 */
final class RouteAnswerWriter {

    /** The most read from a stream body per worker hand-off; a read returns what is there, up to this. */
    private static final int CHUNK = 16 * 1024;

    private RouteAnswerWriter() {
    }

    /** Writes the message's answer; the future completes once the answer is out (or the caller is gone). */
    static Future<Void> write(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy headerFilter) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return Future.succeededFuture();
        }
        try {
            Message message = exchange.getMessage();
            Object body = message.getBody();
            response.setStatusCode(HttpUtil.determineResponseCode(exchange, body));
            if (headerFilter != null) {
                copyHeaders(ctx, exchange, message, headerFilter);
            }
            String contentType = MessageHelper.getContentType(message);
            if (contentType != null) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
            }
            if (body == null) {
                return response.end();
            }
            Buffer inMemory = inMemory(body);
            if (inMemory != null) {
                return response.end(inMemory);
            }
            InputStream stream = asStream(exchange, body);
            response.setChunked(true);
            Context context = ctx.vertx().getOrCreateContext();
            Promise<Void> written = Promise.promise();
            // A caller that leaves while the copy waits for its write queue to drain would leave it waiting forever.
            ctx.addEndHandler(ended -> {
                if (response.closed() && !written.future().isComplete()) {
                    close(context, stream).onComplete(closed -> written.tryComplete());
                }
            });
            copy(context, stream, response, new byte[CHUNK], written);
            return written.future();
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }

    private static void copyHeaders(RoutingContext ctx, Exchange exchange, Message message, HeaderFilterStrategy filter) {
        HttpServerResponse response = ctx.response();
        Map<String, String> pathParams = ctx.pathParams();
        TypeConverter converter = exchange.getContext().getTypeConverter();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            String name = header.getKey();
            if (pathParams.containsKey(name)) {
                continue;
            }
            // Each value of a multi-valued header becomes its own header line, as with platform-http.
            HttpUtil.applyHeader(filter, exchange, ObjectHelper.createIterator(header.getValue(), null, true), converter,
                    name, (List<String> values, String first) -> {
                        if (values != null) {
                            response.putHeader(name, values);
                        } else if (first != null) {
                            response.putHeader(name, first);
                        }
                    });
        }
    }

    private static Buffer inMemory(Object body) {
        if (body instanceof Buffer buffer) {
            return buffer;
        }
        if (body instanceof String text) {
            return Buffer.buffer(text);
        }
        if (body instanceof byte[] bytes) {
            return Buffer.buffer(bytes);
        }
        if (body instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return Buffer.buffer(copy);
        }
        return null;
    }

    private static InputStream asStream(Exchange exchange, Object body) throws NoTypeConversionAvailableException {
        if (body instanceof InputStream stream) {
            return stream;
        }
        InputStream stream = exchange.getContext().getTypeConverter().tryConvertTo(InputStream.class, exchange, body);
        if (stream == null) {
            throw new NoTypeConversionAvailableException(body, InputStream.class);
        }
        return stream;
    }

    /** Reads the next chunk on a worker, writes it on the event loop, and goes on until the stream ends. */
    private static void copy(Context context, InputStream stream, HttpServerResponse response, byte[] chunk,
            Promise<Void> written) {
        if (response.closed()) {
            close(context, stream).onComplete(closed -> written.tryComplete());
            return;
        }
        context.executeBlocking(() -> stream.read(chunk), false).onComplete(read -> {
            if (read.failed()) {
                close(context, stream).onComplete(closed -> written.tryFail(read.cause()));
            } else if (read.result() < 0) {
                close(context, stream).onComplete(closed -> response.end().onComplete(ended -> {
                    if (ended.succeeded()) {
                        written.tryComplete();
                    } else {
                        written.tryFail(ended.cause());
                    }
                }));
            } else {
                response.write(Buffer.buffer(read.result()).appendBytes(chunk, 0, read.result()));
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> copy(context, stream, response, chunk, written));
                } else {
                    copy(context, stream, response, chunk, written);
                }
            }
        });
    }

    /** Closing may block too (an HTTP entity stream reads to its end), so it also runs on a worker. */
    private static Future<Void> close(Context context, InputStream stream) {
        return context.executeBlocking(() -> {
            try {
                stream.close();
            } catch (IOException ignored) {
                // The answer is complete or abandoned either way; a stream that fails to close has nothing to add.
            }
            return null;
        }, false);
    }
}
