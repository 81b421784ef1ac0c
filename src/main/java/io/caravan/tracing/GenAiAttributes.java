package io.caravan.tracing;

import io.caravan.dialect.Operation;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attributes Caravan records: the OpenTelemetry GenAI and HTTP semantic-convention names where one exists,
 * {@code caravan.*} for the rest. Values come from the gateway's own vocabulary (operation, dialect, credential kind)
 * or are names (client, credential), never a key, a header value or a body.
 */
final class GenAiAttributes {

    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    /** On the server span: the model that served, the requested one or the fallback that took its place. */
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("caravan.stream");
    static final AttributeKey<String> DIALECT = AttributeKey.stringKey("caravan.dialect");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("caravan.endpoint");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("caravan.client");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("caravan.request_id");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("caravan.attempts");
    static final AttributeKey<String> CREDENTIAL = AttributeKey.stringKey("caravan.credential");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("caravan.attempt");

    /**
     * Model names come from callers, who can send anything: cut to this many characters in span names and attributes
     * (the tracer provider bounds every other string attribute too).
     */
    static final int MAX_MODEL_CHARS = 128;

    private GenAiAttributes() {
    }

    /** {@code gen_ai.operation.name}: GenAI's well-known {@code chat}, or Caravan's name for a token count. */
    static String operationName(Operation operation) {
        return switch (operation) {
            case CHAT -> "chat";
            case COUNT_TOKENS -> "count_tokens";
            case EMBED -> "embeddings";
        };
    }

    /** A caller's model name as given, cut to {@link #MAX_MODEL_CHARS}; {@code null} when there is none. */
    static String model(String model) {
        if (model == null || model.length() <= MAX_MODEL_CHARS) {
            return model;
        }
        return model.substring(0, MAX_MODEL_CHARS);
    }

    /** The span name the GenAI conventions ask for: {@code "{operation} {model}"}, the operation alone without one. */
    static String spanName(String operation, String model) {
        return model == null || model.isEmpty() ? operation : operation + " " + model;
    }
}
