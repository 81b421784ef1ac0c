package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's {@code POST /v1/embeddings}: the checks it applies, with OpenAI's messages, and its answer
 * ({@code {"object": "list", "data": [{"object": "embedding", "index", "embedding"}], "model", "usage"}}), each
 * vector {@link FakeEmbeddings#vector} of its input, as floats or, with {@code encoding_format: base64}, as
 * little-endian 32-bit floats in base64.
 */
final class OpenAiEmbeddingsWire {

    private static final Set<String> FIELDS = Set.of("model", "input", "encoding_format", "dimensions", "user");
    /** The size of a {@code text-embedding-3-large} vector. */
    private static final int LARGE_DIMENSIONS = 3072;
    private static final String INVALID_INPUT = "'$.input' is invalid. Please check the API reference: "
            + "https://platform.openai.com/docs/api-reference.";

    private OpenAiEmbeddingsWire() {
    }

    static Optional<Rejection> validate(RecordedRequest request) {
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Optional.of(Rejection.invalidRequest("We could not parse the JSON body of your request."));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Optional.of(Rejection.invalidRequest("Unrecognized request argument supplied: " + name));
            }
        }
        if (!body.path("model").isTextual() || body.path("model").asText().isEmpty()) {
            return Optional.of(Rejection.invalidRequest("you must provide a model parameter"));
        }
        if (!body.has("input")) {
            return Optional.of(Rejection.invalidRequest("Missing required parameter: 'input'.", "input",
                    "missing_required_parameter"));
        }
        if (inputs(body.get("input")) == null) {
            return Optional.of(Rejection.invalidRequest(INVALID_INPUT));
        }
        JsonNode format = body.get("encoding_format");
        if (format != null && !"float".equals(format.asText()) && !"base64".equals(format.asText())) {
            return Optional.of(Rejection.invalidRequest("Invalid value: '" + format.asText() + "'. Supported values "
                    + "are: 'float' and 'base64'.", "encoding_format", "invalid_value"));
        }
        JsonNode dimensions = body.get("dimensions");
        if (dimensions != null && (!dimensions.canConvertToInt() || !dimensions.isIntegralNumber()
                || dimensions.asInt() < 1)) {
            return Optional.of(Rejection.invalidRequest("Invalid value for 'dimensions': expected an integer of at "
                    + "least 1.", "dimensions", "invalid_value"));
        }
        return Optional.empty();
    }

    /** The answer to a valid request. */
    static String answer(RecordedRequest request) {
        JsonNode body = request.json();
        int dimensions = body.path("dimensions").asInt(request.model().endsWith("-large") ? LARGE_DIMENSIONS
                : FakeEmbeddings.DEFAULT_DIMENSIONS);
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ArrayNode data = Json.array();
        int promptTokens = 0;
        List<Input> inputs = inputs(body.get("input"));
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            float[] vector = FakeEmbeddings.vector(input.text(), dimensions);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            if (base64) {
                embedding.put("embedding", FakeEmbeddings.base64(vector));
            } else {
                ArrayNode components = embedding.putArray("embedding");
                for (float component : vector) {
                    components.add(component);
                }
            }
            promptTokens += input.tokens();
        }
        ObjectNode answer = Json.object();
        answer.put("object", "list");
        answer.set("data", data);
        answer.put("model", request.model());
        answer.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return Json.write(answer);
    }

    /** One input: its text (a token array as its JSON text) and the tokens it counts. */
    private record Input(String text, int tokens) {
    }

    /**
     * The inputs of {@code input}: a string, an array of strings, an array of tokens, or an array of token arrays,
     * none empty; {@code null} when it is none of these.
     */
    private static List<Input> inputs(JsonNode input) {
        if (input.isTextual()) {
            return input.asText().isEmpty() ? null : List.of(text(input));
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (tokens(input)) {
            return List.of(new Input(input.toString(), input.size()));
        }
        List<Input> batch = new ArrayList<>();
        for (JsonNode item : input) {
            if (item.isTextual() && !item.asText().isEmpty()) {
                batch.add(text(item));
            } else if (item.isArray() && !item.isEmpty() && tokens(item)) {
                batch.add(new Input(item.toString(), item.size()));
            } else {
                return null;
            }
        }
        return batch;
    }

    private static Input text(JsonNode text) {
        return new Input(text.asText(), ReplyContext.estimateTokens(text.asText()));
    }

    private static boolean tokens(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }
}
