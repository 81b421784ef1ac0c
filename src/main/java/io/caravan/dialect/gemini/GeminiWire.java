package io.caravan.dialect.gemini;

/**
 * The field names and fixed values of the Gemini API's JSON (Google AI Studio, {@code generativelanguage}), shared by
 * both directions of translation. Gemini's REST encoding is proto3 JSON: camelCase names, enums as their names.
 */
final class GeminiWire {

    // --- GenerateContentRequest ---------------------------------------------------------------------------------
    static final String CONTENTS = "contents";
    static final String SYSTEM_INSTRUCTION = "systemInstruction";
    static final String TOOLS = "tools";
    static final String FUNCTION_DECLARATIONS = "functionDeclarations";
    static final String TOOL_CONFIG = "toolConfig";
    static final String FUNCTION_CALLING_CONFIG = "functionCallingConfig";
    static final String MODE = "mode";
    static final String ALLOWED_FUNCTION_NAMES = "allowedFunctionNames";
    static final String GENERATION_CONFIG = "generationConfig";
    static final String SAFETY_SETTINGS = "safetySettings";
    static final String CACHED_CONTENT = "cachedContent";

    // --- Content and Part ---------------------------------------------------------------------------------------
    static final String ROLE = "role";
    static final String ROLE_USER = "user";
    static final String ROLE_MODEL = "model";
    static final String PARTS = "parts";
    static final String TEXT = "text";
    static final String THOUGHT = "thought";
    static final String THOUGHT_SIGNATURE = "thoughtSignature";
    static final String INLINE_DATA = "inlineData";
    static final String FILE_DATA = "fileData";
    static final String MIME_TYPE = "mimeType";
    static final String DATA = "data";
    static final String FILE_URI = "fileUri";
    static final String FUNCTION_CALL = "functionCall";
    static final String FUNCTION_RESPONSE = "functionResponse";
    static final String ID = "id";
    static final String NAME = "name";
    static final String ARGS = "args";
    static final String RESPONSE = "response";
    static final String DESCRIPTION = "description";
    static final String PARAMETERS = "parameters";
    static final String PARAMETERS_JSON_SCHEMA = "parametersJsonSchema";

    // --- GenerationConfig ---------------------------------------------------------------------------------------
    static final String TEMPERATURE = "temperature";
    static final String TOP_P = "topP";
    static final String TOP_K = "topK";
    static final String MAX_OUTPUT_TOKENS = "maxOutputTokens";
    static final String STOP_SEQUENCES = "stopSequences";
    static final String CANDIDATE_COUNT = "candidateCount";
    static final String PRESENCE_PENALTY = "presencePenalty";
    static final String FREQUENCY_PENALTY = "frequencyPenalty";
    static final String SEED = "seed";
    static final String RESPONSE_MIME_TYPE = "responseMimeType";
    static final String RESPONSE_SCHEMA = "responseSchema";
    static final String RESPONSE_JSON_SCHEMA = "responseJsonSchema";
    static final String JSON_MIME_TYPE = "application/json";
    static final String THINKING_CONFIG = "thinkingConfig";
    static final String THINKING_BUDGET = "thinkingBudget";
    static final String THINKING_LEVEL = "thinkingLevel";
    static final String INCLUDE_THOUGHTS = "includeThoughts";

    // --- GenerateContentResponse --------------------------------------------------------------------------------
    static final String CANDIDATES = "candidates";
    static final String CONTENT = "content";
    static final String FINISH_REASON = "finishReason";
    static final String FINISH_MESSAGE = "finishMessage";
    static final String INDEX = "index";
    static final String SAFETY_RATINGS = "safetyRatings";
    static final String PROMPT_FEEDBACK = "promptFeedback";
    static final String BLOCK_REASON = "blockReason";
    static final String MODEL_VERSION = "modelVersion";
    static final String RESPONSE_ID = "responseId";
    static final String USAGE_METADATA = "usageMetadata";
    static final String PROMPT_TOKEN_COUNT = "promptTokenCount";
    static final String CANDIDATES_TOKEN_COUNT = "candidatesTokenCount";
    static final String TOTAL_TOKEN_COUNT = "totalTokenCount";
    static final String CACHED_CONTENT_TOKEN_COUNT = "cachedContentTokenCount";
    static final String THOUGHTS_TOKEN_COUNT = "thoughtsTokenCount";
    static final String TOOL_USE_PROMPT_TOKEN_COUNT = "toolUsePromptTokenCount";

    // --- embedContent / batchEmbedContents ---------------------------------------------------------------------
    static final String EMBEDDING = "embedding";
    static final String EMBEDDINGS = "embeddings";

    // --- countTokens ----------------------------------------------------------------------------------------------
    static final String TOTAL_TOKENS = "totalTokens";

    // --- errors (google.rpc.Status) -------------------------------------------------------------------------------
    static final String ERROR = "error";
    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String STATUS = "status";
    static final String DETAILS = "details";
    static final String TYPE_URL = "@type";
    static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
    static final String RETRY_DELAY = "retryDelay";

    // --- what only the caller half reads or writes (appended by gemini-caller) ------------------------------------
    static final String EXECUTABLE_CODE = "executableCode";
    static final String CODE_EXECUTION_RESULT = "codeExecutionResult";
    static final String VIDEO_METADATA = "videoMetadata";
    static final String TOOL_CALL = "toolCall";
    static final String TOOL_RESPONSE = "toolResponse";
    static final String RESPONSE_LOGPROBS = "responseLogprobs";
    static final String LOGPROBS = "logprobs";
    static final String RESPONSE_MODALITIES = "responseModalities";
    static final String MODALITY_TEXT = "TEXT";
    static final String SPEECH_CONFIG = "speechConfig";
    static final String IMAGE_CONFIG = "imageConfig";
    static final String AUDIO_TIMESTAMP = "audioTimestamp";
    static final String TEXT_MIME_TYPE = "text/plain";
    static final String MODE_AUTO = "AUTO";
    static final String MODE_ANY = "ANY";
    static final String MODE_NONE = "NONE";
    static final String MODE_VALIDATED = "VALIDATED";
    /** The key Gemini CLI (and the gateway's upstream half) wraps a tool's text result in: {@code {"output": …}}. */
    static final String FUNCTION_OUTPUT = "output";

    // --- Schema (the OpenAPI subset of functionDeclarations[].parameters and responseSchema) --------------------
    static final String SCHEMA_TYPE = "type";
    static final String SCHEMA_NULLABLE = "nullable";
    static final String SCHEMA_PROPERTIES = "properties";
    static final String SCHEMA_ITEMS = "items";
    static final String SCHEMA_ANY_OF = "anyOf";
    static final String SCHEMA_FORMAT = "format";
    static final String SCHEMA_EXAMPLE = "example";
    static final String SCHEMA_PROPERTY_ORDERING = "propertyOrdering";
    static final String SCHEMA_TYPE_UNSPECIFIED = "TYPE_UNSPECIFIED";
    static final String SCHEMA_FORMAT_ENUM = "enum";
    /** The Schema fields proto3 JSON writes as strings because they are int64. */
    static final java.util.List<String> SCHEMA_INT64_FIELDS = java.util.List.of("minItems", "maxItems", "minLength",
            "maxLength", "minProperties", "maxProperties");

    /**
     * The signature Google documents for a function call whose thought signature is unknown (a conversation that
     * began with another model): Gemini skips its signature check for it instead of refusing the turn.
     */
    static final String SKIP_SIGNATURE_CHECK = "skip_thought_signature_validator";

    // --- the common model towards a Gemini upstream (GeminiUpstreamTranslator) -----------------------------------
    static final String ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
    static final String REASON = "reason";
    static final String DOMAIN = "domain";
    static final String METADATA = "metadata";
    /** An {@code ErrorInfo.reason} of Google's: the request's API key is not valid (sent with HTTP 400). */
    static final String REASON_API_KEY_INVALID = "API_KEY_INVALID";
    /** The {@code ErrorInfo.reason} of the error the gateway writes for a prompt Gemini's filters blocked. */
    static final String REASON_PROMPT_BLOCKED = "PROMPT_BLOCKED";
    /** The {@code ErrorInfo.domain} of errors the gateway writes in Google's shape. */
    static final String GATEWAY_DOMAIN = "caravan";
    /**
     * The provenance mark of a Gemini-made thinking signature in the common model's {@code reasoning_signature}: a
     * signature is valid only at the provider that made it, so only a marked one is sent to Gemini.
     */
    static final String SIGNATURE_PREFIX = "gemini.";

    private GeminiWire() {
    }
}
