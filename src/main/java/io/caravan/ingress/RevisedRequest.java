package io.caravan.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.TranslationSettings;
import io.caravan.exchange.GatewayCall;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes what a before-upstream hook route changed the request every attempt sends: another model, another body (a
 * map, or JSON text), or both. The revised request is checked as the caller gate checks the caller's, serialized
 * once, and replaces the call's request, so that a credential of any dialect gets it (passed through or translated)
 * and the metering, the access log and the answer name the model it went to.
 *
 * <p>A request the hook left alone costs a hash of its map: the hook may have changed the map in place (a bean, or a
 * Simple expression such as {@code ${body.put(...)}}) without replacing it, and a deep copy to compare against would
 * cost more.
 */
public final class RevisedRequest {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    private static final String MODEL = "model";
    private static final String STREAM = "stream";

    private final ObjectMapper mapper;
    private final TranslationSettings translation;

    public RevisedRequest(ObjectMapper mapper, TranslationSettings translation) {
        this.mapper = mapper;
        this.translation = translation;
    }

    /** What {@link #apply} compares the map with after the hook, to see whether the hook changed it in place. */
    public static int fingerprint(Map<String, Object> json) {
        return json.hashCode();
    }

    /**
     * Applies the hook's changes to {@code call}, if it made any.
     *
     * @param body the message body the hook left: the call's own map (perhaps changed in place), another map, or
     *     JSON text as bytes
     * @param fingerprint {@link #fingerprint} of the call's map before the hook ran
     * @param model the model the hook left in its header, {@code null} when it removed the header
     * @throws HookRevisionException when the hook left a request that cannot be sent: the gateway's own route is at
     *     fault, not the caller
     */
    public void apply(GatewayCall call, Object body, int fingerprint, String model) {
        Map<String, Object> original = call.json();
        boolean bodyChanged = body != original || fingerprint(original) != fingerprint;
        boolean modelChanged = model != null && !model.equals(call.model());
        if (!bodyChanged && !modelChanged) {
            return;
        }
        Map<String, Object> json = bodyChanged ? read(body) : new LinkedHashMap<>(original);
        Endpoint endpoint = call.endpoint();
        Dialect dialect = endpoint.dialect();
        String routed = modelChanged ? model : modelOf(json, dialect, call.model());
        if (routed == null || routed.isBlank()) {
            throw new HookRevisionException("the request must name a 'model' (a non-empty string)");
        }
        Object stream = json.get(STREAM);
        if (stream != null && !(stream instanceof Boolean)) {
            throw new HookRevisionException("'stream' must be true or false");
        }
        // A dialect whose path says whether it streams may leave the flag out of the map; the others say it there.
        boolean streams = stream == null ? !dialect.modelInBody() && call.stream()
                : Boolean.TRUE.equals(stream) && endpoint.operation().streamable();
        if (streams != call.stream()) {
            throw new HookRevisionException("'stream' cannot be changed: the request was routed on it");
        }
        json.put(MODEL, routed);
        if (!dialect.modelInBody()) {
            json.put(STREAM, call.stream());
        }
        String required = endpoint.requiredArray();
        if (required != null && !(json.get(required) instanceof List)) {
            throw new HookRevisionException("the request must have '" + required + "' (an array)");
        }
        Refusal invalid = dialect.invalidRequest(endpoint, json);
        if (invalid != null) {
            throw new HookRevisionException(invalid.message());
        }
        call.setRequest(routed, call.stream(), serialize(json, dialect), json, dialect.refusal(endpoint, json, translation),
                call.request().client(), call.request().pinnedCredential());
    }

    /** The body's model; for a dialect whose path names it, the path's when the hook dropped it from the map. */
    private static String modelOf(Map<String, Object> json, Dialect dialect, String asked) {
        Object model = json.get(MODEL);
        if (model == null && !dialect.modelInBody()) {
            return asked;
        }
        return model instanceof String name ? name : null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(Object body) {
        if (body instanceof Map<?, ?> map) {
            return new LinkedHashMap<>((Map<String, Object>) map);
        }
        if (!(body instanceof byte[] bytes) || bytes.length == 0) {
            // Mostly a call-out whose reply became the body: Camel's `to` does that unless told otherwise.
            throw new HookRevisionException("the body is empty; expected a JSON object (a step that calls out puts"
                    + " its reply in the body: receive it into a variable, variableReceive, to keep the request)");
        }
        try {
            Map<String, Object> json = mapper.readValue(bytes, JSON_OBJECT);
            if (json == null) {
                throw new HookRevisionException("the body must be a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new HookRevisionException("the body must be a JSON object");
        } catch (JsonProcessingException e) {
            // Where, not what: Jackson's message quotes the body, and the body is the caller's prompt.
            String where = e.getLocation() == null ? ""
                    : " near line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new HookRevisionException("the body is not valid JSON" + where);
        } catch (IOException e) {
            throw new HookRevisionException("the body could not be read");
        }
    }

    /**
     * The bytes sent upstream. A dialect whose path names the model and the stream flag does not have them in its
     * body (its upstream refuses unknown fields): they are in the map only for the routes and hooks to read.
     */
    private byte[] serialize(Map<String, Object> json, Dialect dialect) {
        Map<String, Object> wire = json;
        if (!dialect.modelInBody()) {
            wire = new LinkedHashMap<>(json);
            wire.remove(MODEL);
            wire.remove(STREAM);
        }
        try {
            return mapper.writeValueAsBytes(wire);
        } catch (JsonProcessingException e) {
            throw new HookRevisionException("the body holds a value that is not JSON", e);
        }
    }

    /** A before-upstream hook left a request that cannot be sent. */
    public static final class HookRevisionException extends IllegalStateException {

        HookRevisionException(String problem) {
            super("The before-upstream hook left a request that cannot be sent: " + problem);
        }

        HookRevisionException(String problem, Throwable cause) {
            super("The before-upstream hook left a request that cannot be sent: " + problem, cause);
        }
    }
}
