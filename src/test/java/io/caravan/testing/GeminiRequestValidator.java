package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks the Gemini API applies before generating anything, with Google's own messages, in Google's two stages:
 *
 * <ol>
 *   <li>the proto JSON parser: every field at every level must exist in the request's proto message (JSON name or
 *   proto name), hold a value of its type (numbers may be strings, enums any case, bytes base64) and be a list
 *   exactly when repeated; each problem is a line {@code Invalid JSON payload received. Unknown name "x" at 'path':
 *   Cannot find field.} (paths in proto names, map entries as {@code properties[i].value}) and a
 *   {@code BadRequest} field violation. So {@code model} and {@code stream}, which name the path, are refused in a
 *   body;</li>
 *   <li>the request's semantics: {@code contents} given, parts not empty and of exactly one data kind
 *   ({@code * GenerateContentRequest.contents[0].parts: contents.parts must not be empty.}), roles {@code user} and
 *   {@code model}, the conversation opening with the user, every function-call turn right after a user turn and
 *   answered by the next turn with as many {@code functionResponse} parts, of the same names; thought signatures
 *   Gemini made, and on Gemini 3 one on the first call of each step of the current turn.</li>
 * </ol>
 */
final class GeminiRequestValidator implements RequestValidator {

    private static final String TYPE_PREFIX = "type.googleapis.com/google.ai.generativelanguage.v1beta.";
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:\\-]{0,63}");
    private static final Set<String> RESPONSE_MIME_TYPES = Set.of("text/plain", "application/json",
            "application/xml", "application/yaml", "text/x.enum");
    private static final Set<String> PART_DATA = Set.of("text", "inlineData", "fileData", "functionCall",
            "functionResponse", "executableCode", "codeExecutionResult");
    private static final Pattern DURATION = Pattern.compile("-?\\d+(\\.\\d{1,9})?s");

    // ---- the proto messages of the v1beta API that requests use -----------------------------------------------

    private enum Kind { STRING, BOOL, INT32, INT64, FLOAT, DOUBLE, BYTES, ENUM, MESSAGE, VALUE, STRUCT, DURATION }

    private static final class Field {
        final String name;
        final Kind kind;
        boolean repeated;
        boolean map;
        Message message;
        String enumName;
        Set<String> enumValues;

        Field(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    private static final class Message {
        final String name;
        final Map<String, Field> fields = new LinkedHashMap<>();
        final Map<String, Field> byProtoName = new HashMap<>();

        Message(String name) {
            this.name = name;
        }

        Message scalar(String field, Kind kind) {
            return add(new Field(field, kind));
        }

        Message repeated(String field, Kind kind) {
            Field f = new Field(field, kind);
            f.repeated = true;
            return add(f);
        }

        Message message(String field, Message type) {
            Field f = new Field(field, Kind.MESSAGE);
            f.message = type;
            return add(f);
        }

        Message messages(String field, Message type) {
            Field f = new Field(field, Kind.MESSAGE);
            f.message = type;
            f.repeated = true;
            return add(f);
        }

        Message map(String field, Message type) {
            Field f = new Field(field, Kind.MESSAGE);
            f.message = type;
            f.map = true;
            return add(f);
        }

        Message enumeration(String field, String enumName, String... values) {
            Field f = new Field(field, Kind.ENUM);
            f.enumName = enumName;
            f.enumValues = Set.of(values);
            return add(f);
        }

        private Message add(Field field) {
            fields.put(field.name, field);
            byProtoName.put(snake(field.name), field);
            return this;
        }

        Field lookup(String jsonName) {
            Field f = fields.get(jsonName);
            return f != null ? f : byProtoName.get(jsonName);
        }
    }

    private static final Message GENERATE_REQUEST = new Message("GenerateContentRequest");
    private static final Message COUNT_REQUEST = new Message("CountTokensRequest");
    private static final Message EMBED_REQUEST = new Message("EmbedContentRequest");
    private static final Message BATCH_EMBED_REQUEST = new Message("BatchEmbedContentsRequest");
    /** The generate request a countTokens request may wrap: there it names its model in the body. */
    private static final Message COUNTED_GENERATE_REQUEST = new Message("GenerateContentRequest");

    static {
        Message blob = new Message("Blob").scalar("mimeType", Kind.STRING).scalar("data", Kind.BYTES);
        Message fileData = new Message("FileData").scalar("mimeType", Kind.STRING).scalar("fileUri", Kind.STRING);
        Message functionCall = new Message("FunctionCall").scalar("id", Kind.STRING).scalar("name", Kind.STRING)
                .scalar("args", Kind.STRUCT);
        Message functionResponsePart = new Message("FunctionResponsePart").message("inlineData",
                new Message("FunctionResponseBlob").scalar("mimeType", Kind.STRING).scalar("data", Kind.BYTES));
        Message functionResponse = new Message("FunctionResponse").scalar("id", Kind.STRING)
                .scalar("name", Kind.STRING).scalar("response", Kind.STRUCT)
                .messages("parts", functionResponsePart).scalar("willContinue", Kind.BOOL)
                .enumeration("scheduling", "FunctionResponse.Scheduling", "SCHEDULING_UNSPECIFIED", "SILENT",
                        "WHEN_IDLE", "INTERRUPT");
        Message executableCode = new Message("ExecutableCode")
                .enumeration("language", "ExecutableCode.Language", "LANGUAGE_UNSPECIFIED", "PYTHON")
                .scalar("code", Kind.STRING);
        Message codeExecutionResult = new Message("CodeExecutionResult")
                .enumeration("outcome", "CodeExecutionResult.Outcome", "OUTCOME_UNSPECIFIED", "OUTCOME_OK",
                        "OUTCOME_FAILED", "OUTCOME_DEADLINE_EXCEEDED")
                .scalar("output", Kind.STRING);
        Message videoMetadata = new Message("VideoMetadata").scalar("startOffset", Kind.DURATION)
                .scalar("endOffset", Kind.DURATION).scalar("fps", Kind.DOUBLE);
        Message part = new Message("Part").scalar("text", Kind.STRING).message("inlineData", blob)
                .message("fileData", fileData).message("functionCall", functionCall)
                .message("functionResponse", functionResponse).message("executableCode", executableCode)
                .message("codeExecutionResult", codeExecutionResult).scalar("thought", Kind.BOOL)
                .scalar("thoughtSignature", Kind.BYTES).message("videoMetadata", videoMetadata)
                .scalar("partMetadata", Kind.STRUCT)
                .message("mediaResolution", new Message("MediaResolution")
                        .enumeration("level", "MediaResolution.Level", "MEDIA_RESOLUTION_UNSPECIFIED",
                                "MEDIA_RESOLUTION_LOW", "MEDIA_RESOLUTION_MEDIUM", "MEDIA_RESOLUTION_HIGH",
                                "MEDIA_RESOLUTION_ULTRA_HIGH"));
        Message content = new Message("Content").messages("parts", part).scalar("role", Kind.STRING);

        Message schema = new Message("Schema");
        schema.enumeration("type", "Type", "TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY",
                        "OBJECT", "NULL")
                .scalar("format", Kind.STRING).scalar("title", Kind.STRING).scalar("description", Kind.STRING)
                .scalar("nullable", Kind.BOOL).repeated("enum", Kind.STRING).message("items", schema)
                .scalar("maxItems", Kind.INT64).scalar("minItems", Kind.INT64).map("properties", schema)
                .repeated("required", Kind.STRING).scalar("minProperties", Kind.INT64)
                .scalar("maxProperties", Kind.INT64).scalar("minLength", Kind.INT64).scalar("maxLength", Kind.INT64)
                .scalar("pattern", Kind.STRING).scalar("example", Kind.VALUE).messages("anyOf", schema)
                .repeated("propertyOrdering", Kind.STRING).scalar("default", Kind.VALUE)
                .scalar("minimum", Kind.DOUBLE).scalar("maximum", Kind.DOUBLE);
        Message functionDeclaration = new Message("FunctionDeclaration").scalar("name", Kind.STRING)
                .scalar("description", Kind.STRING).message("parameters", schema)
                .scalar("parametersJsonSchema", Kind.VALUE).message("response", schema)
                .scalar("responseJsonSchema", Kind.VALUE)
                .enumeration("behavior", "FunctionDeclaration.Behavior", "UNSPECIFIED", "BLOCKING", "NON_BLOCKING");
        Message empty = new Message("Empty");
        Message tool = new Message("Tool").messages("functionDeclarations", functionDeclaration)
                .message("googleSearchRetrieval", new Message("GoogleSearchRetrieval")
                        .message("dynamicRetrievalConfig", new Message("DynamicRetrievalConfig")
                                .enumeration("mode", "DynamicRetrievalConfig.Mode", "MODE_UNSPECIFIED",
                                        "MODE_DYNAMIC")
                                .scalar("dynamicThreshold", Kind.FLOAT)))
                .message("codeExecution", empty)
                .message("googleSearch", new Message("GoogleSearch").message("timeRangeFilter",
                        new Message("Interval").scalar("startTime", Kind.STRING).scalar("endTime", Kind.STRING)))
                .message("urlContext", empty)
                .message("computerUse", new Message("ComputerUse")
                        .enumeration("environment", "ComputerUse.Environment", "ENVIRONMENT_UNSPECIFIED",
                                "ENVIRONMENT_BROWSER")
                        .repeated("excludedPredefinedFunctions", Kind.STRING))
                .message("fileSearch", new Message("FileSearch").repeated("fileSearchStoreNames", Kind.STRING)
                        .scalar("topK", Kind.INT32).scalar("metadataFilter", Kind.STRING))
                .message("googleMaps", new Message("GoogleMaps").scalar("enableWidget", Kind.BOOL));
        Message toolConfig = new Message("ToolConfig")
                .message("functionCallingConfig", new Message("FunctionCallingConfig")
                        .enumeration("mode", "FunctionCallingConfig.Mode", "MODE_UNSPECIFIED", "AUTO", "ANY",
                                "NONE", "VALIDATED")
                        .repeated("allowedFunctionNames", Kind.STRING))
                .message("retrievalConfig", new Message("RetrievalConfig")
                        .message("latLng", new Message("LatLng").scalar("latitude", Kind.DOUBLE)
                                .scalar("longitude", Kind.DOUBLE))
                        .scalar("languageCode", Kind.STRING));
        Message safetySetting = new Message("SafetySetting")
                .enumeration("category", "HarmCategory", "HARM_CATEGORY_UNSPECIFIED", "HARM_CATEGORY_DEROGATORY",
                        "HARM_CATEGORY_TOXICITY", "HARM_CATEGORY_VIOLENCE", "HARM_CATEGORY_SEXUAL",
                        "HARM_CATEGORY_MEDICAL", "HARM_CATEGORY_DANGEROUS", "HARM_CATEGORY_HARASSMENT",
                        "HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_SEXUALLY_EXPLICIT",
                        "HARM_CATEGORY_DANGEROUS_CONTENT", "HARM_CATEGORY_CIVIC_INTEGRITY")
                .enumeration("threshold", "SafetySetting.HarmBlockThreshold", "HARM_BLOCK_THRESHOLD_UNSPECIFIED",
                        "BLOCK_LOW_AND_ABOVE", "BLOCK_MEDIUM_AND_ABOVE", "BLOCK_ONLY_HIGH", "BLOCK_NONE", "OFF");
        Message thinkingConfig = new Message("ThinkingConfig").scalar("includeThoughts", Kind.BOOL)
                .scalar("thinkingBudget", Kind.INT32)
                .enumeration("thinkingLevel", "ThinkingConfig.ThinkingLevel", "THINKING_LEVEL_UNSPECIFIED",
                        "MINIMAL", "LOW", "MEDIUM", "HIGH");
        Message generationConfig = new Message("GenerationConfig").scalar("candidateCount", Kind.INT32)
                .repeated("stopSequences", Kind.STRING).scalar("maxOutputTokens", Kind.INT32)
                .scalar("temperature", Kind.FLOAT).scalar("topP", Kind.FLOAT).scalar("topK", Kind.INT32)
                .scalar("seed", Kind.INT32).scalar("responseMimeType", Kind.STRING).message("responseSchema", schema)
                .scalar("responseJsonSchema", Kind.VALUE).scalar("presencePenalty", Kind.FLOAT)
                .scalar("frequencyPenalty", Kind.FLOAT).scalar("responseLogprobs", Kind.BOOL)
                .scalar("logprobs", Kind.INT32).scalar("enableEnhancedCivicAnswers", Kind.BOOL)
                .repeated("responseModalities", Kind.STRING).scalar("speechConfig", Kind.STRUCT)
                .message("thinkingConfig", thinkingConfig).scalar("imageConfig", Kind.STRUCT)
                .scalar("mediaResolution", Kind.STRING);

        for (Message generate : List.of(GENERATE_REQUEST, COUNTED_GENERATE_REQUEST)) {
            generate.messages("contents", content).messages("tools", tool).message("toolConfig", toolConfig)
                    .messages("safetySettings", safetySetting).message("systemInstruction", content)
                    .message("generationConfig", generationConfig).scalar("cachedContent", Kind.STRING)
                    .scalar("serviceTier", Kind.STRING);
        }
        COUNTED_GENERATE_REQUEST.scalar("model", Kind.STRING);
        COUNT_REQUEST.messages("contents", content).message("generateContentRequest", COUNTED_GENERATE_REQUEST);
        EMBED_REQUEST.scalar("model", Kind.STRING).message("content", content)
                .enumeration("taskType", "TaskType", "TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY",
                        "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING",
                        "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY")
                .scalar("title", Kind.STRING).scalar("outputDimensionality", Kind.INT32);
        BATCH_EMBED_REQUEST.messages("requests", EMBED_REQUEST);
    }

    /** {@code generationConfig} -> {@code generation_config}: the proto name, which Google's paths use. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    @Override
    public Optional<Rejection> validate(Endpoint endpoint, RecordedRequest request) {
        if (endpoint == Endpoint.MODELS) {
            return Optional.empty();
        }
        GeminiWire.Action action = GeminiWire.action(request.path());
        if (action.stream() && !"sse".equals(GeminiWire.queryParameter(request.query(), "alt"))) {
            return Optional.of(GeminiWire.status(400, "fake Gemini upstream: it streams only with alt=sse (the "
                    + "JSON-array stream without it is not served by this fake; the gateway always asks alt=sse)"));
        }
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Optional.of(new Rejection(400, GeminiWire.STATUS_INVALID_ARGUMENT,
                    "Invalid JSON payload received. Unexpected token.\n" + abbreviate(request.body()), null, null));
        }
        Message message = action.countTokens() ? COUNT_REQUEST
                : action.embed() ? EMBED_REQUEST
                : action.batchEmbed() ? BATCH_EMBED_REQUEST
                : GENERATE_REQUEST;
        List<String> problems = new ArrayList<>();
        parse(body, message, "", problems);
        if (!problems.isEmpty()) {
            return Optional.of(new Rejection(400, GeminiWire.STATUS_INVALID_ARGUMENT, String.join("\n", problems),
                    null, GeminiWire.FIELD_VIOLATIONS));
        }
        return Optional.ofNullable(switch (action.name()) {
            case "countTokens" -> countTokens(body);
            case "embedContent" -> embedContent(body, "EmbedContentRequest");
            case "batchEmbedContents" -> batchEmbed(body, action.model());
            default -> generate(body, "GenerateContentRequest", action.model());
        });
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40);
    }

    private static void parse(JsonNode object, Message message, String path, List<String> problems) {
        String oneofSet = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            Field field = message.lookup(name);
            if (field == null) {
                problems.add("Invalid JSON payload received. Unknown name \"" + name + "\"" + at(path)
                        + ": Cannot find field.");
                continue;
            }
            if (value.isNull()) {
                continue;
            }
            if ("Part".equals(message.name) && PART_DATA.contains(field.name)) {
                if (oneofSet != null) {
                    problems.add("Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '"
                            + name + "'" + at(path) + ".");
                    continue;
                }
                oneofSet = field.name;
            }
            String fieldPath = path.isEmpty() ? snake(field.name) : path + "." + snake(field.name);
            if (field.repeated) {
                if (!value.isArray()) {
                    problems.add("Invalid JSON payload received. Unknown name \"" + name + "\"" + at(path)
                            + ": Proto field is repeating, cannot start " + (value.isObject() ? "object" : "value")
                            + ".");
                    continue;
                }
                for (int i = 0; i < value.size(); i++) {
                    value(value.get(i), field, fieldPath + "[" + i + "]", problems);
                }
            } else if (field.map) {
                if (!value.isObject()) {
                    problems.add(invalidValue(fieldPath, "type.googleapis.com/google.protobuf.Map", value));
                    continue;
                }
                int i = 0;
                for (Iterator<JsonNode> values = value.elements(); values.hasNext(); i++) {
                    value(values.next(), field, fieldPath + "[" + i + "].value", problems);
                }
            } else if (value.isArray()) {
                problems.add("Invalid JSON payload received. Unknown name \"" + name + "\"" + at(path)
                        + ": Proto field is not repeating, cannot start list.");
            } else {
                value(value, field, fieldPath, problems);
            }
        }
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : " at '" + path + "'";
    }

    private static void value(JsonNode value, Field field, String path, List<String> problems) {
        if (value.isNull()) {
            return;
        }
        boolean ok = switch (field.kind) {
            case MESSAGE -> value.isObject();
            case STRING -> value.isTextual();
            case BOOL -> value.isBoolean();
            case INT32, INT64 -> value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?\\d+");
            case FLOAT, DOUBLE -> value.isNumber() || value.isTextual() && isNumber(value.asText());
            case BYTES -> value.isTextual() && isBase64(value.asText());
            case ENUM -> value.isTextual() && field.enumValues.contains(value.asText().toUpperCase(Locale.ROOT))
                    || value.isIntegralNumber();
            case VALUE -> true;
            case STRUCT -> value.isObject();
            case DURATION -> value.isTextual() && DURATION.matcher(value.asText()).matches();
        };
        if (!ok) {
            problems.add(field.kind == Kind.BYTES && value.isTextual()
                    ? "Invalid value at '" + path + "' (TYPE_BYTES), Base64 decoding failed for " + value
                    : invalidValue(path, typeName(field), value));
        } else if (field.kind == Kind.MESSAGE) {
            parse(value, field.message, path, problems);
        }
    }

    private static String invalidValue(String path, String type, JsonNode value) {
        return "Invalid value at '" + path + "' (" + type + "), " + value;
    }

    private static String typeName(Field field) {
        return switch (field.kind) {
            case MESSAGE -> TYPE_PREFIX + field.message.name;
            case ENUM -> TYPE_PREFIX + field.enumName;
            case STRUCT -> "type.googleapis.com/google.protobuf.Struct";
            case DURATION -> "type.googleapis.com/google.protobuf.Duration";
            case INT32 -> "TYPE_INT32";
            case INT64 -> "TYPE_INT64";
            case FLOAT -> "TYPE_FLOAT";
            case DOUBLE -> "TYPE_DOUBLE";
            case BOOL -> "TYPE_BOOL";
            default -> "TYPE_STRING";
        };
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Google's parser takes base64 in either alphabet, padded or not. */
    private static boolean isBase64(String text) {
        try {
            if (text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
                Base64.getUrlDecoder().decode(text);
            } else {
                Base64.getDecoder().decode(text);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---- semantics ------------------------------------------------------------------------------------------------

    private static Rejection invalid(String message) {
        return GeminiWire.status(400, message);
    }

    /** Google's semantic errors: one line per problem, {@code * Request.path: problem}, each ending the line. */
    private static Rejection fieldProblem(String request, String path, String problem) {
        return invalid("* " + request + "." + path + ": " + problem + "\n");
    }

    private static Rejection generate(JsonNode body, String request, String model) {
        JsonNode contents = GeminiWire.field(body, "contents");
        if (contents == null || contents.isEmpty()) {
            return fieldProblem(request, "contents", "contents is not specified");
        }
        JsonNode system = GeminiWire.field(body, "systemInstruction");
        if (system != null) {
            Rejection parts = parts(system, request, "system_instruction");
            if (parts != null) {
                return parts;
            }
        }
        for (int i = 0; i < contents.size(); i++) {
            Rejection parts = parts(contents.get(i), request, "contents[" + i + "]");
            if (parts != null) {
                return parts;
            }
        }
        return Optional.ofNullable(roles(contents))
                .or(() -> Optional.ofNullable(turns(contents)))
                .or(() -> Optional.ofNullable(signatures(contents, model)))
                .or(() -> Optional.ofNullable(generationConfig(GeminiWire.field(body, "generationConfig"), request)))
                .or(() -> Optional.ofNullable(tools(GeminiWire.field(body, "tools"), request)))
                .orElse(null);
    }

    private static Rejection parts(JsonNode content, String request, String path) {
        JsonNode parts = GeminiWire.field(content, "parts");
        if (parts == null || parts.isEmpty()) {
            return fieldProblem(request, path + ".parts", "contents.parts must not be empty.");
        }
        for (int j = 0; j < parts.size(); j++) {
            if (dataKinds(parts.get(j)) == 0) {
                return fieldProblem(request, path + ".parts[" + j + "].data",
                        "required oneof field 'data' must have one initialized field");
            }
        }
        return null;
    }

    private static int dataKinds(JsonNode part) {
        int kinds = 0;
        for (String kind : PART_DATA) {
            if (GeminiWire.field(part, kind) != null) {
                kinds++;
            }
        }
        return kinds;
    }

    /** A missing role reads as the user's, as in Google's own single-turn examples. */
    private static String role(JsonNode content) {
        JsonNode role = GeminiWire.field(content, "role");
        return role == null || role.asText().isEmpty() ? "user" : role.asText();
    }

    private static Rejection roles(JsonNode contents) {
        for (JsonNode content : contents) {
            String role = role(content);
            if (!"user".equals(role) && !"model".equals(role)) {
                return invalid("Please use a valid role: user, model.");
            }
        }
        return null;
    }

    private static List<JsonNode> partsOf(JsonNode content, String kind) {
        List<JsonNode> found = new ArrayList<>();
        JsonNode parts = GeminiWire.field(content, "parts");
        if (parts != null) {
            for (JsonNode part : parts) {
                JsonNode value = GeminiWire.field(part, kind);
                if (value != null) {
                    found.add(value);
                }
            }
        }
        return found;
    }

    /**
     * The conversation opens with the user; a turn of calls follows a user turn (a question, or the answers to the
     * previous calls) and is answered by the next turn: a user turn with as many {@code functionResponse} parts,
     * each naming a call of that turn (and its id, when it gives one).
     */
    private static Rejection turns(JsonNode contents) {
        List<JsonNode> previousCalls = List.of();
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            boolean model = "model".equals(role(content));
            List<JsonNode> calls = partsOf(content, "functionCall");
            List<JsonNode> responses = partsOf(content, "functionResponse");
            if (i == 0 && model) {
                return invalid(calls.isEmpty() ? "Please ensure that multiturn requests alternate between user and "
                        + "model." : "Please ensure that function call turn comes immediately after a user turn or "
                        + "after a function response turn.");
            }
            if (!calls.isEmpty() && model && !"user".equals(role(contents.get(i - 1)))) {
                return invalid("Please ensure that function call turn comes immediately after a user turn or after "
                        + "a function response turn.");
            }
            if (!responses.isEmpty() && previousCalls.isEmpty()) {
                return invalid("Please ensure that function response turn comes immediately after a function call "
                        + "turn.");
            }
            if (!previousCalls.isEmpty()) {
                if (responses.size() != previousCalls.size()) {
                    return invalid("Please ensure that the number of function response parts is equal to the number "
                            + "of function call parts of the function call turn.");
                }
                Rejection names = answeredNames(previousCalls, responses, i);
                if (names != null) {
                    return names;
                }
            }
            previousCalls = model ? calls : List.of();
        }
        return null;
    }

    private static Rejection answeredNames(List<JsonNode> calls, List<JsonNode> responses, int index) {
        List<JsonNode> unanswered = new ArrayList<>(calls);
        for (JsonNode response : responses) {
            String name = response.path("name").asText("");
            String id = response.path("id").asText(null);
            JsonNode match = null;
            for (JsonNode call : unanswered) {
                boolean sameId = id == null || !call.hasNonNull("id") || id.equals(call.path("id").asText());
                if (name.equals(call.path("name").asText()) && sameId) {
                    match = call;
                    break;
                }
            }
            if (match == null) {
                return invalid("* GenerateContentRequest.contents[" + index + "]: function response \"" + name + "\""
                        + (id == null ? "" : " (id " + id + ")") + " answers no function call of the function call "
                        + "turn.\n");
            }
            unanswered.remove(match);
        }
        return null;
    }

    /**
     * A signature Gemini did not make is refused; Gemini 3 also refuses a step of the current turn (the model turns
     * since the last question) whose first call lacks one.
     */
    private static Rejection signatures(JsonNode contents, String model) {
        int currentTurn = 0;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            for (JsonNode part : GeminiWire.field(content, "parts")) {
                JsonNode signature = GeminiWire.field(part, "thoughtSignature");
                if (signature != null && !GeminiWire.knownSignature(signature.asText())) {
                    return invalid("Corrupted thought signature.");
                }
            }
            if ("user".equals(role(content)) && partsOf(content, "functionResponse").isEmpty()) {
                currentTurn = i;
            }
        }
        if (!model.startsWith("gemini-3")) {
            return null;
        }
        for (int i = currentTurn; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            for (JsonNode part : GeminiWire.field(content, "parts")) {
                JsonNode call = GeminiWire.field(part, "functionCall");
                if (call != null) {
                    if (GeminiWire.field(part, "thoughtSignature") == null) {
                        return invalid("Function call is missing a thought_signature in functionCall parts. This is "
                                + "required for tools to work correctly, and missing thought_signature may lead to "
                                + "degraded model performance. Additional data, function call `default_api:"
                                + call.path("name").asText() + "` , position " + (i + 1) + ". Please refer to "
                                + "https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
                    }
                    break;
                }
            }
        }
        return null;
    }

    private static Rejection generationConfig(JsonNode config, String request) {
        if (config == null) {
            return null;
        }
        JsonNode mimeType = GeminiWire.field(config, "responseMimeType");
        if (mimeType != null && !RESPONSE_MIME_TYPES.contains(mimeType.asText())) {
            return fieldProblem(request, "generation_config.response_mime_type", "allowed mimetypes are "
                    + "`text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.");
        }
        if (GeminiWire.field(config, "responseSchema") != null
                && GeminiWire.field(config, "responseJsonSchema") != null) {
            return fieldProblem(request, "generation_config.response_schema",
                    "response_schema and response_json_schema cannot both be set.");
        }
        JsonNode thinking = GeminiWire.field(config, "thinkingConfig");
        if (GeminiWire.field(thinking, "thinkingBudget") != null
                && GeminiWire.field(thinking, "thinkingLevel") != null) {
            return invalid("You can only set only one of thinking budget and thinking level.");
        }
        return null;
    }

    private static Rejection tools(JsonNode tools, String request) {
        if (tools == null) {
            return null;
        }
        for (int t = 0; t < tools.size(); t++) {
            JsonNode declarations = GeminiWire.field(tools.get(t), "functionDeclarations");
            if (declarations == null) {
                continue;
            }
            for (int d = 0; d < declarations.size(); d++) {
                JsonNode declaration = declarations.get(d);
                String path = "tools[" + t + "].function_declarations[" + d + "]";
                JsonNode name = GeminiWire.field(declaration, "name");
                if (name == null || !FUNCTION_NAME.matcher(name.asText()).matches()) {
                    return fieldProblem(request, path + ".name", "Invalid function name. Must start with a letter "
                            + "or an underscore. Must be a-z, A-Z, 0-9, or contain underscores, dots, colons and "
                            + "dashes, with a maximum length of 64.");
                }
                if (GeminiWire.field(declaration, "parameters") != null
                        && GeminiWire.field(declaration, "parametersJsonSchema") != null) {
                    return fieldProblem(request, path + ".parameters",
                            "parameters and parameters_json_schema cannot both be set.");
                }
            }
        }
        return null;
    }

    private static Rejection countTokens(JsonNode body) {
        JsonNode wrapped = GeminiWire.field(body, "generateContentRequest");
        JsonNode contents = GeminiWire.field(body, "contents");
        if (wrapped != null && contents != null) {
            return invalid("* CountTokensRequest: contents and generate_content_request cannot both be set.\n");
        }
        if (wrapped != null) {
            JsonNode model = GeminiWire.field(wrapped, "model");
            if (model == null || !model.asText().startsWith("models/")) {
                return fieldProblem("CountTokensRequest", "generate_content_request.model",
                        "unexpected model name format");
            }
            return generate(wrapped, "CountTokensRequest.generate_content_request",
                    model.asText().substring("models/".length()));
        }
        for (int i = 0; contents != null && i < contents.size(); i++) {
            Rejection parts = parts(contents.get(i), "CountTokensRequest", "contents[" + i + "]");
            if (parts != null) {
                return parts;
            }
        }
        return contents == null ? null : roles(contents);
    }

    private static Rejection embedContent(JsonNode request, String name) {
        JsonNode content = GeminiWire.field(request, "content");
        if (content == null) {
            return fieldProblem(name, "content", "content is not specified");
        }
        return parts(content, name, "content");
    }

    /** Each request of a batch names its model, which must be the one of the path. */
    private static Rejection batchEmbed(JsonNode body, String model) {
        JsonNode requests = GeminiWire.field(body, "requests");
        if (requests == null || requests.isEmpty()) {
            return fieldProblem("BatchEmbedContentsRequest", "requests", "requests is not specified");
        }
        for (int i = 0; i < requests.size(); i++) {
            JsonNode requestModel = GeminiWire.field(requests.get(i), "model");
            if (requestModel == null || !requestModel.asText().startsWith("models/")) {
                return fieldProblem("BatchEmbedContentsRequest", "requests[" + i + "].model",
                        "unexpected model name format");
            }
            if (!requestModel.asText().equals("models/" + model)) {
                return fieldProblem("BatchEmbedContentsRequest", "requests[" + i + "].model",
                        "the model of each request must be the model of the batch, models/" + model);
            }
            Rejection content = embedContent(requests.get(i), "BatchEmbedContentsRequest.requests[" + i + "]");
            if (content != null) {
                return content;
            }
        }
        return null;
    }
}
