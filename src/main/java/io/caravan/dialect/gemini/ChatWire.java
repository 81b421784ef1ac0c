package io.caravan.dialect.gemini;

/**
 * The field names and fixed values of the common model, OpenAI Chat Completions, that both halves of the Gemini
 * plug-in read and write, with the two fields Caravan adds to carry thinking ({@link #REASONING_CONTENT},
 * {@link #REASONING_SIGNATURE}).
 */
final class ChatWire {

    // --- request ----------------------------------------------------------------------------------------------------
    static final String MESSAGES = "messages";
    static final String ROLE = "role";
    static final String CONTENT = "content";
    static final String TYPE = "type";
    static final String TEXT = "text";
    static final String REFUSAL = "refusal";
    static final String IMAGE_URL = "image_url";
    static final String URL = "url";
    static final String FILE = "file";
    static final String FILE_DATA = "file_data";
    static final String FILE_ID = "file_id";
    static final String INPUT_AUDIO = "input_audio";
    static final String DATA = "data";
    static final String FORMAT = "format";
    static final String TOOL_CALLS = "tool_calls";
    static final String TOOL_CALL_ID = "tool_call_id";
    static final String ID = "id";
    static final String FUNCTION = "function";
    static final String NAME = "name";
    static final String ARGUMENTS = "arguments";
    static final String DESCRIPTION = "description";
    static final String PARAMETERS = "parameters";
    static final String TOOLS = "tools";
    static final String TOOL_CHOICE = "tool_choice";
    static final String FUNCTIONS = "functions";
    static final String FUNCTION_CALL = "function_call";
    static final String MAX_TOKENS = "max_tokens";
    static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
    static final String TEMPERATURE = "temperature";
    static final String TOP_P = "top_p";
    /** Not OpenAI's, but sent by clients of OpenAI-compatible servers (vLLM, OpenRouter); Gemini has it. */
    static final String TOP_K = "top_k";
    static final String STOP = "stop";
    static final String PRESENCE_PENALTY = "presence_penalty";
    static final String FREQUENCY_PENALTY = "frequency_penalty";
    static final String SEED = "seed";
    static final String N = "n";
    static final String LOGPROBS = "logprobs";
    static final String LOGIT_BIAS = "logit_bias";
    static final String MODALITIES = "modalities";
    static final String AUDIO = "audio";
    static final String PREDICTION = "prediction";
    static final String WEB_SEARCH_OPTIONS = "web_search_options";
    static final String RESPONSE_FORMAT = "response_format";
    static final String JSON_SCHEMA = "json_schema";
    static final String JSON_OBJECT = "json_object";
    static final String SCHEMA = "schema";
    static final String REASONING_EFFORT = "reasoning_effort";
    static final String STREAM_OPTIONS = "stream_options";
    static final String INCLUDE_USAGE = "include_usage";

    /** Reasoning text: DeepSeek's, vLLM's and Caravan's name for it. */
    static final String REASONING_CONTENT = "reasoning_content";
    /** Caravan's carrier for a thinking signature, read back when the caller replays the turn. */
    static final String REASONING_SIGNATURE = "reasoning_signature";

    // --- response and stream ----------------------------------------------------------------------------------------
    static final String OBJECT = "object";
    static final String CREATED = "created";
    static final String MODEL = "model";
    static final String CHOICES = "choices";
    static final String INDEX = "index";
    static final String MESSAGE = "message";
    static final String DELTA = "delta";
    static final String FINISH_REASON = "finish_reason";
    static final String USAGE = "usage";
    static final String PROMPT_TOKENS = "prompt_tokens";
    static final String COMPLETION_TOKENS = "completion_tokens";
    static final String TOTAL_TOKENS = "total_tokens";
    static final String PROMPT_TOKENS_DETAILS = "prompt_tokens_details";
    static final String CACHED_TOKENS = "cached_tokens";
    static final String COMPLETION_TOKENS_DETAILS = "completion_tokens_details";
    static final String REASONING_TOKENS = "reasoning_tokens";

    // --- errors -----------------------------------------------------------------------------------------------------
    static final String ERROR = "error";
    static final String MESSAGE_FIELD = "message";
    static final String PARAM = "param";
    static final String CODE = "code";

    // --- values -----------------------------------------------------------------------------------------------------
    static final String ROLE_SYSTEM = "system";
    static final String ROLE_DEVELOPER = "developer";
    static final String ROLE_USER = "user";
    static final String ROLE_ASSISTANT = "assistant";
    static final String ROLE_TOOL = "tool";
    static final String TYPE_FUNCTION = "function";
    static final String OBJECT_COMPLETION = "chat.completion";
    static final String OBJECT_CHUNK = "chat.completion.chunk";
    static final String CHOICE_AUTO = "auto";
    static final String CHOICE_NONE = "none";
    static final String CHOICE_REQUIRED = "required";
    static final String FINISH_STOP = "stop";
    static final String FINISH_TOOL_CALLS = "tool_calls";
    static final String DONE = "[DONE]";
    static final String COMPLETION_ID_PREFIX = "chatcmpl-";
    static final String TOOL_CALL_ID_PREFIX = "call_";

    // --- what only the caller half reads or writes ------------------------------------------------------------------
    static final String STREAM = "stream";
    static final String FILENAME = "filename";
    static final String FINISH_CONTENT_FILTER = "content_filter";
    static final String ERROR_TYPE = "type";
    static final String ERROR_CODE = "code";
    static final String ERROR_MESSAGE = "message";
    static final String ERROR_DETAIL = "detail";
    static final String RESPONSE_ID_PREFIX = "resp_";

    private ChatWire() {
    }
}
