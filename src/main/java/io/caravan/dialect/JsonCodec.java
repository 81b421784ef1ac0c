package io.caravan.dialect;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's one Jackson mapper, configured once: callers' bodies, upstream answers, translations and error
 * bodies are all read and written with it. A mapper is thread-safe once configured and expensive to build, and
 * one configuration means one answer to "what does the gateway accept as JSON".
 */
public final class JsonCodec {

    /** Trailing bytes after the JSON value are refused: otherwise they would be forwarded upstream with it. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
