package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The checks {@code POST /v1/chat/completions} applies before generating anything, with OpenAI's messages. */
final class OpenAiRequestValidator implements RequestValidator {

    /** Top-level fields Chat Completions accepts; anything else is "Unrecognized request argument". */
    private static final Set<String> FIELDS = Set.of(
            "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias",
            "logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n",
            "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options",
            "prompt_cache_retention", "reasoning_effort", "response_format", "safety_identifier", "seed",
            "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools",
            "top_logprobs", "top_p", "user", "verbosity", "web_search_options");

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    @Override
    public Optional<Rejection> validate(Endpoint endpoint, RecordedRequest request) {
        if (endpoint == Endpoint.EMBEDDINGS) {
            return OpenAiEmbeddingsWire.validate(request);
        }
        if (endpoint != Endpoint.COMPLETION) {
            return Optional.empty();
        }
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Optional.of(Rejection.invalidRequest("We could not parse the JSON body of your request. (HINT: "
                    + "This likely means you aren't using your HTTP library correctly. The OpenAI API expects a "
                    + "JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to "
                    + "fix this, please contact us through our help center at help.openai.com.)"));
        }
        return Stream.<Supplier<Rejection>>of(
                        () -> unknownField(body),
                        () -> model(body),
                        () -> messages(body),
                        () -> streamOptions(body),
                        () -> temperature(body),
                        () -> roles(body.get("messages")),
                        () -> toolPairing(body.get("messages")))
                .map(Supplier::get)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static Rejection unknownField(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Rejection.invalidRequest("Unrecognized request argument supplied: " + name);
            }
        }
        return null;
    }

    private static Rejection model(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            return Rejection.invalidRequest("you must provide a model parameter");
        }
        return null;
    }

    private static Rejection messages(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null) {
            return Rejection.invalidRequest("Missing required parameter: 'messages'.", "messages",
                    "missing_required_parameter");
        }
        if (!messages.isArray()) {
            return Rejection.invalidRequest("Invalid type for 'messages': expected an array of objects, but got "
                    + messages.getNodeType().name().toLowerCase() + " instead.", "messages", "invalid_type");
        }
        if (messages.isEmpty()) {
            return Rejection.invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1,"
                    + " but got an empty array instead.", "messages", "empty_array");
        }
        return null;
    }

    private static Rejection streamOptions(JsonNode body) {
        if (body.has("stream_options") && !body.path("stream").asBoolean(false)) {
            return Rejection.invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                    "stream_options", null);
        }
        return null;
    }

    private static Rejection temperature(JsonNode body) {
        JsonNode temperature = body.get("temperature");
        if (temperature == null || temperature.isNull()) {
            return null;
        }
        if (!temperature.isNumber()) {
            return Rejection.invalidRequest("Invalid type for 'temperature': expected a decimal, but got "
                    + temperature.getNodeType().name().toLowerCase() + " instead.", "temperature", "invalid_type");
        }
        if (temperature.asDouble() > 2) {
            return Rejection.invalidRequest("Invalid 'temperature': decimal above maximum value. Expected a value <= 2,"
                    + " but got " + temperature.asText() + " instead.", "temperature", "decimal_above_max_value");
        }
        if (temperature.asDouble() < 0) {
            return Rejection.invalidRequest("Invalid 'temperature': decimal below minimum value. Expected a value >= 0,"
                    + " but got " + temperature.asText() + " instead.", "temperature", "decimal_below_min_value");
        }
        return null;
    }

    private static Rejection roles(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode role = messages.get(i).get("role");
            String param = "messages[" + i + "].role";
            if (role == null) {
                return Rejection.invalidRequest("Missing required parameter: '" + param + "'.", param,
                        "missing_required_parameter");
            }
            if (!ROLES.contains(role.asText())) {
                return Rejection.invalidRequest("Invalid value: '" + role.asText() + "'. Supported values are: "
                        + "'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", param, "invalid_value");
            }
        }
        return null;
    }

    /** Every tool message answers a call of the assistant message before it, and every call gets an answer. */
    private static Rejection toolPairing(JsonNode messages) {
        Set<String> unanswered = new LinkedHashSet<>();
        boolean toolsMayFollow = false;
        int callingMessage = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if ("tool".equals(role)) {
                Rejection rejection = toolMessage(i, message, toolsMayFollow, unanswered);
                if (rejection != null) {
                    return rejection;
                }
                continue;
            }
            if (!unanswered.isEmpty()) {
                return missingToolResponses(i, unanswered);
            }
            Set<String> calls = toolCallIds(message);
            toolsMayFollow = "assistant".equals(role) && !calls.isEmpty();
            unanswered.addAll(calls);
            callingMessage = i;
        }
        return unanswered.isEmpty() ? null : missingToolResponses(callingMessage, unanswered);
    }

    private static Rejection toolMessage(int index, JsonNode message, boolean toolsMayFollow, Set<String> unanswered) {
        if (!toolsMayFollow) {
            return Rejection.invalidRequest("Invalid parameter: messages with role 'tool' must be a response to a "
                    + "preceeding message with 'tool_calls'.", "messages.[" + index + "].role", null);
        }
        JsonNode id = message.get("tool_call_id");
        String param = "messages.[" + index + "].tool_call_id";
        if (id == null || !id.isTextual()) {
            return Rejection.invalidRequest("Missing parameter 'tool_call_id': messages with role 'tool' must have a "
                    + "'tool_call_id'.", param, null);
        }
        if (!unanswered.remove(id.asText())) {
            return Rejection.invalidRequest("Invalid parameter: 'tool_call_id' of '" + id.asText() + "' not found in "
                    + "'tool_calls' of previous message.", param, null);
        }
        return null;
    }

    private static Set<String> toolCallIds(JsonNode message) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode call : message.path("tool_calls")) {
            ids.add(call.path("id").asText());
        }
        return ids;
    }

    private static Rejection missingToolResponses(int index, Set<String> unanswered) {
        return Rejection.invalidRequest("An assistant message with 'tool_calls' must be followed by tool messages "
                + "responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                + String.join(", ", unanswered), "messages.[" + index + "].role", null);
    }
}
