package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks the Messages API applies before generating anything, with Anthropic's messages: the
 * {@code anthropic-version} header, a strict set of top-level fields, {@code max_tokens}, the two conversation
 * roles and {@code tool_use}/{@code tool_result} pairing.
 */
final class AnthropicRequestValidator implements RequestValidator {

    /**
     * A version is a date. The API has dated versions beyond 2023-06-01 (anthropic-java 3.12 sends 2026-10-21), and
     * the fake cannot know them all, so it checks the shape only.
     */
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final Set<String> MESSAGE_FIELDS = Set.of(
            "model", "messages", "max_tokens", "cache_control", "container", "diagnostics", "inference_geo",
            "metadata", "output_config", "service_tier", "speed", "stop_sequences", "stream", "system",
            "temperature", "thinking", "tool_choice", "tools", "top_k", "top_p");

    private static final Set<String> COUNT_FIELDS = Set.of(
            "model", "messages", "cache_control", "output_config", "speed", "system", "thinking", "tool_choice",
            "tools");

    /** Fields only the beta surface accepts, i.e. when the request carries an {@code anthropic-beta} header. */
    private static final Set<String> BETA_FIELDS = Set.of("context_management", "mcp_servers", "output_format");

    @Override
    public Optional<Rejection> validate(Endpoint endpoint, RecordedRequest request) {
        Rejection version = version(request);
        if (version != null || endpoint == Endpoint.MODELS) {
            return Optional.ofNullable(version);
        }
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Optional.of(Rejection.invalidRequest("There was an issue with your request body: it is not a "
                    + "valid JSON object."));
        }
        boolean beta = request.header("anthropic-beta") != null;
        return Stream.<Supplier<Rejection>>of(
                        () -> unknownField(body, endpoint, beta),
                        () -> required(body, "model"),
                        () -> required(body, "messages"),
                        () -> endpoint == Endpoint.COMPLETION ? maxTokens(body) : null,
                        () -> temperature(body),
                        () -> system(body),
                        () -> messages(body.get("messages")),
                        () -> toolPairing(body.get("messages")))
                .map(Supplier::get)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static Rejection version(RecordedRequest request) {
        String version = request.header("anthropic-version");
        if (version == null) {
            return Rejection.invalidRequest("anthropic-version: header is required");
        }
        if (!VERSION.matcher(version).matches()) {
            return Rejection.invalidRequest("anthropic-version: invalid version '" + version + "'");
        }
        return null;
    }

    private static Rejection unknownField(JsonNode body, Endpoint endpoint, boolean beta) {
        Set<String> allowed = endpoint == Endpoint.COMPLETION ? MESSAGE_FIELDS : COUNT_FIELDS;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name) && !(beta && BETA_FIELDS.contains(name))) {
                return Rejection.invalidRequest(name + ": Extra inputs are not permitted");
            }
        }
        return null;
    }

    private static Rejection required(JsonNode body, String field) {
        return body.hasNonNull(field) ? null : Rejection.invalidRequest(field + ": Field required");
    }

    private static Rejection maxTokens(JsonNode body) {
        JsonNode maxTokens = body.get("max_tokens");
        if (maxTokens == null || maxTokens.isNull()) {
            return Rejection.invalidRequest("max_tokens: Field required");
        }
        if (!maxTokens.isIntegralNumber()) {
            return Rejection.invalidRequest("max_tokens: Input should be a valid integer");
        }
        if (maxTokens.asLong() < 1) {
            return Rejection.invalidRequest("max_tokens: Input should be greater than or equal to 1");
        }
        return null;
    }

    private static Rejection temperature(JsonNode body) {
        JsonNode temperature = body.get("temperature");
        if (temperature == null || temperature.isNull()) {
            return null;
        }
        if (!temperature.isNumber()) {
            return Rejection.invalidRequest("temperature: Input should be a valid number");
        }
        if (temperature.asDouble() > 1) {
            return Rejection.invalidRequest("temperature: Input should be less than or equal to 1");
        }
        if (temperature.asDouble() < 0) {
            return Rejection.invalidRequest("temperature: Input should be greater than or equal to 0");
        }
        return null;
    }

    private static Rejection system(JsonNode body) {
        JsonNode system = body.get("system");
        if (system == null || system.isNull() || system.isTextual()) {
            return null;
        }
        if (!system.isArray()) {
            return Rejection.invalidRequest("system: Input should be a valid list");
        }
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                return Rejection.invalidRequest("system." + i + ": Input should be a text block "
                        + "({\"type\": \"text\", \"text\": ...})");
            }
        }
        return null;
    }

    private static Rejection messages(JsonNode messages) {
        if (!messages.isArray()) {
            return Rejection.invalidRequest("messages: Input should be a valid list");
        }
        if (messages.isEmpty()) {
            return Rejection.invalidRequest("messages: at least one message is required");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if ("system".equals(role)) {
                return Rejection.invalidRequest("messages: Unexpected role \"system\". The Messages API accepts a "
                        + "top-level `system` parameter, not \"system\" as an input message role.");
            }
            if (!"user".equals(role) && !"assistant".equals(role)) {
                return Rejection.invalidRequest("messages." + i + ".role: Input should be 'user' or 'assistant'");
            }
            JsonNode content = message.get("content");
            if (content == null || content.isNull()) {
                return Rejection.invalidRequest("messages." + i + ".content: Field required");
            }
            if (!content.isTextual() && !content.isArray()) {
                return Rejection.invalidRequest("messages." + i + ".content: Input should be a valid list");
            }
            for (int j = 0; j < content.size(); j++) {
                if (!content.get(j).path("type").isTextual()) {
                    return Rejection.invalidRequest("messages." + i + ".content." + j + ".type: Field required");
                }
            }
        }
        return null;
    }

    /**
     * Each assistant {@code tool_use} is answered by a {@code tool_result} in the very next (user) message, and each
     * {@code tool_result} answers a {@code tool_use} of the message right before it.
     */
    private static Rejection toolPairing(JsonNode messages) {
        Set<String> previousCalls = Set.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            Set<String> calls = blockIds(message, "tool_use", "id");
            Set<String> results = blockIds(message, "tool_result", "tool_use_id");

            int j = 0;
            for (JsonNode block : message.path("content")) {
                String id = block.path("tool_use_id").asText();
                if ("tool_result".equals(block.path("type").asText()) && !previousCalls.contains(id)) {
                    return Rejection.invalidRequest("messages." + i + ".content." + j + ": unexpected `tool_use_id` "
                            + "found in `tool_result` blocks: " + id + ". Each `tool_result` block must have a "
                            + "corresponding `tool_use` block in the previous message.");
                }
                j++;
            }
            Set<String> unanswered = new LinkedHashSet<>(previousCalls);
            unanswered.removeAll(results);
            if (!unanswered.isEmpty()) {
                return unansweredCalls(i, unanswered);
            }
            previousCalls = calls;
        }
        return previousCalls.isEmpty() ? null : unansweredCalls(messages.size() - 1, previousCalls);
    }

    private static Rejection unansweredCalls(int index, Set<String> ids) {
        return Rejection.invalidRequest("messages." + index + ": `tool_use` ids were found without `tool_result` "
                + "blocks immediately after: " + String.join(", ", ids) + ". Each `tool_use` block must have a "
                + "corresponding `tool_result` block in the next message.");
    }

    private static Set<String> blockIds(JsonNode message, String type, String idField) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode block : message.path("content")) {
            if (type.equals(block.path("type").asText())) {
                ids.add(block.path(idField).asText());
            }
        }
        return ids;
    }
}
