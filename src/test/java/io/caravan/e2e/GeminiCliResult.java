package io.caravan.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What a headless {@code gemini -p … --output-format json} run left: its exit code, its standard output (one JSON
 * object: {@code response}, the model's final text, and {@code stats}, the requests and tool calls the CLI made)
 * and its standard error (warnings, retries and errors, with the API's error body).
 */
record GeminiCliResult(int exitCode, String stdout, String stderr) {

    /** The exit code recorded for a run that did not end within its bound (and was killed). */
    static final int TIMED_OUT = -1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Standard output as JSON; missing when it is not JSON (an error, or a run killed before it wrote). */
    JsonNode output() {
        try {
            JsonNode output = JSON.readTree(stdout);
            return output == null ? MissingNode.getInstance() : output;
        } catch (JsonProcessingException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** The final answer the CLI printed (the text of the model's last turn); empty when there is none. */
    String response() {
        return output().path("response").asText("");
    }

    /** How many calls of this tool the CLI ran and counted a success. */
    int successfulToolCalls(String tool) {
        return output().path("stats").path("tools").path("byName").path(tool).path("success").asInt(0);
    }

    /** How many requests the CLI counted against this model (retries included). */
    int requestsTo(String model) {
        return api(model).path("totalRequests").asInt(0);
    }

    /**
     * How many of them the CLI counted as failed: error answers, and answers it found incomplete (by type in
     * {@code errorsByType}, e.g. {@code NO_FINISH_REASON} for a stream that ended without a finish reason).
     */
    int failedRequestsTo(String model) {
        return api(model).path("totalErrors").asInt(0);
    }

    /**
     * A token count the CLI took from the answers' {@code usageMetadata} for this model, by its name in the stats:
     * {@code prompt} (promptTokenCount), {@code candidates} (candidatesTokenCount), {@code thoughts}, {@code total}.
     */
    int tokens(String model, String count) {
        return output().path("stats").path("models").path(model).path("tokens").path(count).asInt(0);
    }

    private JsonNode api(String model) {
        return output().path("stats").path("models").path(model).path("api");
    }

    /** Everything, for an assertion message. */
    String describe() {
        return "gemini exit " + (exitCode == TIMED_OUT ? "(timed out, killed)" : exitCode) + "\n--- stdout\n" + stdout
                + "\n--- stderr\n" + stderr;
    }
}
