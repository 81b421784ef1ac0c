package io.caravan.dialect.responses;

/** Field names and fixed values of the OpenAI Responses wire format and of the Chat Completions fields it maps to. */
final class ResponsesWire {

    private ResponsesWire() {
    }

    // Responses request
    static final String MODEL = "model";
    static final String INSTRUCTIONS = "instructions";
    static final String INPUT = "input";
    static final String TYPE = "type";
    static final String ROLE = "role";
    static final String CONTENT = "content";
    static final String TEXT = "text";
    static final String IMAGE_URL = "image_url";
    static final String DETAIL = "detail";
    static final String CALL_ID = "call_id";
    static final String NAME = "name";
    static final String ARGUMENTS = "arguments";
    static final String OUTPUT = "output";
    static final String TOOLS = "tools";
    static final String TOOL_CHOICE = "tool_choice";
    static final String PARALLEL_TOOL_CALLS = "parallel_tool_calls";
    static final String DESCRIPTION = "description";
    static final String PARAMETERS = "parameters";
    static final String STRICT = "strict";
    static final String MAX_OUTPUT_TOKENS = "max_output_tokens";
    static final String TEMPERATURE = "temperature";
    static final String TOP_P = "top_p";
    static final String REASONING = "reasoning";
    static final String EFFORT = "effort";
    static final String SUMMARY = "summary";
    static final String GENERATE_SUMMARY = "generate_summary";
    static final String ENCRYPTED_CONTENT = "encrypted_content";
    static final String FORMAT = "format";
    static final String SCHEMA = "schema";
    static final String STREAM = "stream";
    static final String USER = "user";
    static final String PREVIOUS_RESPONSE_ID = "previous_response_id";
    static final String CONVERSATION = "conversation";
    static final String BACKGROUND = "background";
    static final String PROMPT = "prompt";
    static final String REFUSAL = "refusal";

    // Responses item and part types
    static final String ITEM_MESSAGE = "message";
    static final String ITEM_FUNCTION_CALL = "function_call";
    static final String ITEM_FUNCTION_CALL_OUTPUT = "function_call_output";
    static final String ITEM_REASONING = "reasoning";
    static final String PART_SUMMARY_TEXT = "summary_text";
    static final String PART_REASONING_TEXT = "reasoning_text";
    static final String PART_INPUT_TEXT = "input_text";
    static final String PART_INPUT_IMAGE = "input_image";
    static final String PART_OUTPUT_TEXT = "output_text";
    static final String PART_REFUSAL = "refusal";
    static final String TOOL_FUNCTION = "function";
    static final String FORMAT_TEXT = "text";
    static final String FORMAT_JSON_SCHEMA = "json_schema";
    static final String FORMAT_JSON_OBJECT = "json_object";

    // Responses answer
    static final String ID = "id";
    static final String OBJECT = "object";
    static final String OBJECT_RESPONSE = "response";
    static final String CREATED_AT = "created_at";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String INCOMPLETE_DETAILS = "incomplete_details";
    static final String REASON = "reason";
    static final String METADATA = "metadata";
    static final String ANNOTATIONS = "annotations";
    static final String LOGPROBS = "logprobs";
    static final String USAGE = "usage";
    static final String INPUT_TOKENS = "input_tokens";
    static final String INPUT_TOKENS_DETAILS = "input_tokens_details";
    static final String CACHED_TOKENS = "cached_tokens";
    static final String CACHE_WRITE_TOKENS = "cache_write_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    static final String OUTPUT_TOKENS_DETAILS = "output_tokens_details";
    static final String REASONING_TOKENS = "reasoning_tokens";
    static final String TOTAL_TOKENS = "total_tokens";
    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String PARAM = "param";
    static final String STATUS_COMPLETED = "completed";
    static final String STATUS_INCOMPLETE = "incomplete";
    static final String STATUS_IN_PROGRESS = "in_progress";
    static final String STATUS_FAILED = "failed";
    static final String ROLE_ASSISTANT = "assistant";
    static final String RESPONSE_ID_PREFIX = "resp_";
    static final String MESSAGE_ID_PREFIX = "msg_";
    static final String FUNCTION_CALL_ID_PREFIX = "fc_";
    static final String REASONING_ID_PREFIX = "rs_";
    static final String CALL_ID_PREFIX = "call_";

    // Responses stream
    static final String SEQUENCE_NUMBER = "sequence_number";
    static final String RESPONSE = "response";
    static final String ITEM = "item";
    static final String ITEM_ID = "item_id";
    static final String OUTPUT_INDEX = "output_index";
    static final String CONTENT_INDEX = "content_index";
    static final String SUMMARY_INDEX = "summary_index";
    static final String PART = "part";
    static final String DELTA = "delta";
    static final String EVENT_CREATED = "response.created";
    static final String EVENT_IN_PROGRESS = "response.in_progress";
    static final String EVENT_ITEM_ADDED = "response.output_item.added";
    static final String EVENT_ITEM_DONE = "response.output_item.done";
    static final String EVENT_PART_ADDED = "response.content_part.added";
    static final String EVENT_PART_DONE = "response.content_part.done";
    static final String EVENT_TEXT_DELTA = "response.output_text.delta";
    static final String EVENT_TEXT_DONE = "response.output_text.done";
    static final String EVENT_ARGUMENTS_DELTA = "response.function_call_arguments.delta";
    static final String EVENT_ARGUMENTS_DONE = "response.function_call_arguments.done";
    static final String EVENT_SUMMARY_PART_ADDED = "response.reasoning_summary_part.added";
    static final String EVENT_SUMMARY_PART_DONE = "response.reasoning_summary_part.done";
    static final String EVENT_SUMMARY_TEXT_DELTA = "response.reasoning_summary_text.delta";
    static final String EVENT_SUMMARY_TEXT_DONE = "response.reasoning_summary_text.done";
    static final String EVENT_COMPLETED = "response.completed";
    static final String EVENT_INCOMPLETE = "response.incomplete";
    static final String EVENT_FAILED = "response.failed";
    static final String EVENT_ERROR = "error";

    // Chat Completions
    static final String CHAT_MESSAGES = "messages";
    static final String CHAT_ROLE_SYSTEM = "system";
    static final String CHAT_ROLE_USER = "user";
    static final String CHAT_ROLE_TOOL = "tool";
    static final String CHAT_TOOL_CALLS = "tool_calls";
    static final String CHAT_TOOL_CALL_ID = "tool_call_id";
    static final String CHAT_FUNCTION = "function";
    static final String CHAT_MAX_COMPLETION_TOKENS = "max_completion_tokens";
    static final String CHAT_REASONING_EFFORT = "reasoning_effort";
    /** Reasoning text on a message or delta: DeepSeek's, vLLM's and Caravan's name for it. */
    static final String CHAT_REASONING_CONTENT = "reasoning_content";
    /** Caravan's carrier of an Anthropic thinking signature on a message or delta. */
    static final String CHAT_REASONING_SIGNATURE = "reasoning_signature";
    static final String CHAT_RESPONSE_FORMAT = "response_format";
    static final String CHAT_JSON_SCHEMA = "json_schema";
    static final String CHAT_STREAM_OPTIONS = "stream_options";
    static final String CHAT_INCLUDE_USAGE = "include_usage";
    static final String CHAT_URL = "url";
    static final String CHAT_CHOICES = "choices";
    static final String CHAT_CREATED = "created";
    static final String CHAT_FINISH_REASON = "finish_reason";
    static final String CHAT_INDEX = "index";
    static final String CHAT_PROMPT_TOKENS = "prompt_tokens";
    static final String CHAT_COMPLETION_TOKENS = "completion_tokens";
    static final String CHAT_TOTAL_TOKENS = "total_tokens";
    static final String CHAT_PROMPT_TOKENS_DETAILS = "prompt_tokens_details";
    static final String CHAT_COMPLETION_TOKENS_DETAILS = "completion_tokens_details";
    static final String CHAT_DONE = "[DONE]";
    static final String FINISH_LENGTH = "length";
    static final String FINISH_CONTENT_FILTER = "content_filter";
}
