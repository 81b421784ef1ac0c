package io.caravan.dialect.anthropic;

/** Field names, block types and event names of the Anthropic Messages wire format. */
final class AnthropicWire {

    private AnthropicWire() {
    }

    // request
    static final String MODEL = "model";
    static final String MESSAGES = "messages";
    static final String SYSTEM = "system";
    static final String ROLE = "role";
    static final String CONTENT = "content";
    static final String TYPE = "type";
    static final String TEXT = "text";
    static final String SOURCE = "source";
    static final String MEDIA_TYPE = "media_type";
    static final String DATA = "data";
    static final String URL = "url";
    static final String TITLE = "title";
    static final String ID = "id";
    static final String NAME = "name";
    static final String INPUT = "input";
    static final String TOOL_USE_ID = "tool_use_id";
    static final String THINKING = "thinking";
    static final String SIGNATURE = "signature";
    static final String BUDGET_TOKENS = "budget_tokens";
    static final String MAX_TOKENS = "max_tokens";
    static final String TEMPERATURE = "temperature";
    static final String TOP_P = "top_p";
    static final String STOP_SEQUENCES = "stop_sequences";
    static final String STREAM = "stream";
    static final String METADATA = "metadata";
    static final String USER_ID = "user_id";
    static final String TOOLS = "tools";
    static final String TOOL_CHOICE = "tool_choice";
    static final String DESCRIPTION = "description";
    static final String INPUT_SCHEMA = "input_schema";
    static final String DISABLE_PARALLEL_TOOL_USE = "disable_parallel_tool_use";
    static final String CACHE_CONTROL = "cache_control";

    // response and stream
    static final String STOP_REASON = "stop_reason";
    static final String STOP_SEQUENCE = "stop_sequence";
    static final String USAGE = "usage";
    static final String INPUT_TOKENS = "input_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    static final String CACHE_READ_INPUT_TOKENS = "cache_read_input_tokens";
    static final String CACHE_CREATION_INPUT_TOKENS = "cache_creation_input_tokens";
    static final String MESSAGE = "message";
    static final String INDEX = "index";
    static final String DELTA = "delta";
    static final String CONTENT_BLOCK = "content_block";
    static final String PARTIAL_JSON = "partial_json";
    static final String ERROR = "error";

    // roles, block, source and tool-choice types
    static final String ROLE_USER = "user";
    static final String ROLE_ASSISTANT = "assistant";
    static final String BLOCK_TEXT = "text";
    static final String BLOCK_IMAGE = "image";
    static final String BLOCK_DOCUMENT = "document";
    static final String BLOCK_TOOL_USE = "tool_use";
    static final String BLOCK_TOOL_RESULT = "tool_result";
    static final String BLOCK_THINKING = "thinking";
    static final String SOURCE_BASE64 = "base64";
    static final String SOURCE_URL = "url";
    static final String SOURCE_TEXT = "text";
    static final String TOOL_TYPE_CUSTOM = "custom";
    static final String CHOICE_AUTO = "auto";
    static final String CHOICE_ANY = "any";
    static final String CHOICE_TOOL = "tool";
    static final String CHOICE_NONE = "none";
    static final String THINKING_ENABLED = "enabled";
    static final String TYPE_MESSAGE = "message";
    static final String TYPE_ERROR = "error";
    static final String STOP_END_TURN = "end_turn";

    // stream events (the event name equals the data's "type")
    static final String EVENT_MESSAGE_START = "message_start";
    static final String EVENT_CONTENT_BLOCK_START = "content_block_start";
    static final String EVENT_CONTENT_BLOCK_DELTA = "content_block_delta";
    static final String EVENT_CONTENT_BLOCK_STOP = "content_block_stop";
    static final String EVENT_MESSAGE_DELTA = "message_delta";
    static final String EVENT_MESSAGE_STOP = "message_stop";
    static final String EVENT_ERROR = "error";
    static final String DELTA_TEXT = "text_delta";
    static final String DELTA_INPUT_JSON = "input_json_delta";
    static final String DELTA_THINKING = "thinking_delta";
    static final String DELTA_SIGNATURE = "signature_delta";

    static final String MESSAGE_ID_PREFIX = "msg_";
    static final String TOOL_USE_ID_PREFIX = "toolu_";
    /** Anthropic's smallest accepted thinking budget. */
    static final int MIN_THINKING_BUDGET = io.caravan.dialect.TranslationSettings.MIN_THINKING_BUDGET;
}
