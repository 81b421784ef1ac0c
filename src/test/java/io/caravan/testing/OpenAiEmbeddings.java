package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's {@code POST /v1/embeddings}: its checks, with OpenAI's messages, and its answer, a list of embeddings
 * whose numbers depend only on the model and the input (floats, or base64 little-endian float32 as the SDKs ask
 * with {@code encoding_format: base64}), with the usage the API reports.
 */
final class OpenAiEmbeddings {

    private static final Set<String> FIELDS = Set.of("input", "model", "encoding_format", "dimensions", "user");
    /** text-embedding-3-small's size; text-embedding-3-large answers 3072. */
    private static final int SMALL_DIMENSIONS = 1536;
    private static final int LARGE_DIMENSIONS = 3072;

    private OpenAiEmbeddings() {
    }

    static Rejection validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Rejection.invalidRequest("We could not parse the JSON body of your request.");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Rejection.invalidRequest("Unrecognized request argument supplied: " + name);
            }
        }
        if (!body.path("model").isTextual() || body.get("model").asText().isEmpty()) {
            return Rejection.invalidRequest("you must provide a model parameter");
        }
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            return Rejection.invalidRequest("Missing required parameter: 'input'.", "input",
                    "missing_required_parameter");
        }
        if (!input.isTextual() && !input.isArray() || input.isArray() && input.isEmpty()) {
            return Rejection.invalidRequest("'$.input' is invalid. Please check the API reference: "
                    + "https://platform.openai.com/docs/api-reference.", null, null);
        }
        JsonNode format = body.get("encoding_format");
        if (format != null && !"float".equals(format.asText()) && !"base64".equals(format.asText())) {
            return Rejection.invalidRequest("Invalid value for 'encoding_format': '" + format.asText() + "'. Supported "
                    + "values are: 'float' and 'base64'.", "encoding_format", "invalid_value");
        }
        return null;
    }

    static String answer(JsonNode body) {
        String model = body.get("model").asText();
        List<String> inputs = new ArrayList<>();
        if (body.get("input").isTextual()) {
            inputs.add(body.get("input").asText());
        } else {
            body.get("input").forEach(one -> inputs.add(one.isTextual() ? one.asText() : one.toString()));
        }
        int dimensions = body.hasNonNull("dimensions") ? body.get("dimensions").asInt()
                : model.endsWith("-large") ? LARGE_DIMENSIONS : SMALL_DIMENSIONS;
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ArrayNode data = Json.array();
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ArrayNode vector = GeminiWire.vector(model + "\n" + inputs.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
                vector.forEach(value -> bytes.putFloat(value.floatValue()));
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                item.set("embedding", vector);
            }
            tokens += ReplyContext.estimateTokens(inputs.get(i));
        }
        ObjectNode answer = Json.object().put("object", "list");
        answer.set("data", data);
        answer.put("model", model);
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return Json.write(answer);
    }
}
