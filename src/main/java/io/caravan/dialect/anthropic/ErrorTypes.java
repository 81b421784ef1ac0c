package io.caravan.dialect.anthropic;

import java.util.Set;

/** Error types of the two dialects, mapped to each other. Status to type uses the gateway's own table. */
final class ErrorTypes {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String AUTHENTICATION = "authentication_error";
    static final String PERMISSION = "permission_error";
    static final String NOT_FOUND = "not_found_error";
    static final String RATE_LIMIT = "rate_limit_error";
    static final String ANTHROPIC_BILLING = "billing_error";
    static final String ANTHROPIC_REQUEST_TOO_LARGE = "request_too_large";
    static final String ANTHROPIC_API = "api_error";
    static final String ANTHROPIC_TIMEOUT = "timeout_error";
    static final String ANTHROPIC_OVERLOADED = "overloaded_error";
    static final String OPENAI_INSUFFICIENT_QUOTA = "insufficient_quota";
    static final String OPENAI_SERVER = "server_error";
    static final String OPENAI_CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";

    private static final Set<String> ANTHROPIC_TYPES = Set.of(INVALID_REQUEST, AUTHENTICATION, PERMISSION, NOT_FOUND,
            RATE_LIMIT, ANTHROPIC_BILLING, ANTHROPIC_REQUEST_TOO_LARGE, ANTHROPIC_API, ANTHROPIC_TIMEOUT,
            ANTHROPIC_OVERLOADED);

    private ErrorTypes() {
    }

    static String anthropicTypeForStatus(int status) {
        return AnthropicDialect.errorType(status);
    }

    static boolean isAnthropicType(String type) {
        return type != null && ANTHROPIC_TYPES.contains(type);
    }

    /** The OpenAI error type for an Anthropic one; OpenAI has no billing, timeout or overload types of its own. */
    static String openAiTypeFor(String anthropicType) {
        return switch (anthropicType) {
            case INVALID_REQUEST, ANTHROPIC_REQUEST_TOO_LARGE -> INVALID_REQUEST;
            case AUTHENTICATION -> AUTHENTICATION;
            case PERMISSION -> PERMISSION;
            case NOT_FOUND -> NOT_FOUND;
            case RATE_LIMIT -> RATE_LIMIT;
            case ANTHROPIC_BILLING -> OPENAI_INSUFFICIENT_QUOTA;
            default -> OPENAI_SERVER;
        };
    }

    /**
     * The Anthropic error type for an OpenAI error that came without a status (an in-band stream error). OpenAI's
     * {@code code} is more specific than its {@code type}, so it is consulted first.
     */
    static String anthropicTypeForOpenAi(String openAiType, String openAiCode) {
        if (openAiCode != null) {
            switch (openAiCode) {
                case "invalid_api_key":
                    return AUTHENTICATION;
                case "model_not_found":
                    return NOT_FOUND;
                case "rate_limit_exceeded":
                    return RATE_LIMIT;
                case OPENAI_INSUFFICIENT_QUOTA:
                    return ANTHROPIC_BILLING;
                case OPENAI_CONTEXT_LENGTH_EXCEEDED:
                    return INVALID_REQUEST;
                default:
                    break;
            }
        }
        if (openAiType == null) {
            return ANTHROPIC_API;
        }
        if (isAnthropicType(openAiType)) {
            return openAiType;
        }
        return switch (openAiType) {
            case "requests", "tokens" -> RATE_LIMIT;
            case OPENAI_INSUFFICIENT_QUOTA -> ANTHROPIC_BILLING;
            default -> ANTHROPIC_API;
        };
    }
}
