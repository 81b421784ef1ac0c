package io.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerHeaders;
import io.caravan.reply.CallerReply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answers of the gateway's own JSON APIs ({@code /admin/v1/*}, {@code /caravan/v1/*}), which speak no model
 * dialect: errors in OpenAI's shape, the one every HTTP client of this field parses.
 */
final class JsonAnswers {

    private JsonAnswers() {
    }

    static void json(HttpServerResponse response, String requestId, int status, JsonNode body) {
        CallerReply.send(response, requestId, status, Buffer.buffer(body.toString()));
    }

    static void error(HttpServerResponse response, String requestId, int status, String message, String code) {
        CallerReply.send(response, requestId, status,
                Buffer.buffer(DialectErrors.body(Dialects.OPENAI, status, message, code, requestId)));
    }

    /** An answer with no body ({@code 204 No Content}). */
    static void empty(HttpServerResponse response, String requestId, int status) {
        if (!response.ended()) {
            response.setStatusCode(status).putHeader(CallerHeaders.REQUEST_ID, requestId).end();
        }
    }
}
