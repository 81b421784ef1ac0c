package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_DOCUMENT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_IMAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_RESULT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT;
import static io.caravan.dialect.anthropic.AnthropicWire.DATA;
import static io.caravan.dialect.anthropic.AnthropicWire.DESCRIPTION;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT;
import static io.caravan.dialect.anthropic.AnthropicWire.INPUT_SCHEMA;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGES;
import static io.caravan.dialect.anthropic.AnthropicWire.NAME;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.SYSTEM;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.TOOLS;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TextTokens;

/**
 * A local estimate of {@code POST /v1/messages/count_tokens} for models served only by OpenAI-compatible
 * credentials, which have no token-counting endpoint. It is a heuristic, meant to be close (typically within
 * 10–20 % for English text and code) and to err high rather than low, since callers such as Claude Code use the
 * count to decide when to compact a conversation.
 *
 * <p>Method:
 * <ul>
 *   <li><b>Text</b>: one token per 4 characters for characters below U+0800 (Latin, Greek, Cyrillic, Hebrew,
 *       Arabic: English BPE averages about 4 characters a token), one token per character above (CJK, emoji,
 *       which tokenise to about a token a character), rounded up per piece of text.</li>
 *   <li><b>Request</b>: {@value #REQUEST_OVERHEAD} tokens; <b>system prompt</b> (string or text blocks): its text
 *       plus {@value #SYSTEM_OVERHEAD}.</li>
 *   <li><b>Each message</b>: {@value #MESSAGE_OVERHEAD} tokens for role and framing, plus its content: string
 *       content as text; text and thinking blocks as text; {@code tool_use} blocks as the tool name plus the JSON
 *       of the input, plus {@value #TOOL_BLOCK_OVERHEAD}; {@code tool_result} blocks as their content (string or
 *       blocks), plus {@value #TOOL_BLOCK_OVERHEAD}; images {@value #IMAGE_TOKENS} tokens each (Anthropic's cost
 *       of a full-size image of about 1.15 megapixels, the most it charges); text documents as their text, other
 *       documents (PDF) {@value #DOCUMENT_TOKENS} tokens each; any other block as the text of its JSON.</li>
 *   <li><b>Tools</b>: each definition as its name, description and the JSON of its input schema as text, plus
 *       {@value #TOOL_DEFINITION_OVERHEAD}; plus {@value #TOOL_USE_SYSTEM_PROMPT} once when any tool is defined,
 *       for the tool-use instructions Anthropic adds to the system prompt.</li>
 * </ul>
 */
public final class TokenEstimator {

    static final int REQUEST_OVERHEAD = 3;
    static final int SYSTEM_OVERHEAD = 4;
    static final int MESSAGE_OVERHEAD = 4;
    static final int TOOL_BLOCK_OVERHEAD = 8;
    static final int IMAGE_TOKENS = 1600;
    static final int DOCUMENT_TOKENS = 3000;
    static final int TOOL_DEFINITION_OVERHEAD = 16;
    static final int TOOL_USE_SYSTEM_PROMPT = 300;

    /** The estimated {@code input_tokens} of an Anthropic count_tokens (or messages) request body. */
    public int estimate(JsonNode countTokensRequest) {
        long tokens = REQUEST_OVERHEAD;
        JsonNode system = countTokensRequest.get(SYSTEM);
        if (system != null && !system.isNull()) {
            tokens += SYSTEM_OVERHEAD + content(system);
        }
        for (JsonNode message : JsonTrees.elements(countTokensRequest, MESSAGES)) {
            tokens += MESSAGE_OVERHEAD + content(message.get(CONTENT));
        }
        long toolCount = 0;
        for (JsonNode tool : JsonTrees.elements(countTokensRequest, TOOLS)) {
            toolCount++;
            tokens += TOOL_DEFINITION_OVERHEAD + text(JsonTrees.text(tool, NAME)) + text(JsonTrees.text(tool, DESCRIPTION));
            JsonNode schema = tool.get(INPUT_SCHEMA);
            tokens += schema == null ? 0 : text(JsonTrees.write(schema));
        }
        if (toolCount > 0) {
            tokens += TOOL_USE_SYSTEM_PROMPT;
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /** String content, or an array of blocks. */
    private long content(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return text(content.textValue());
        }
        long tokens = 0;
        for (JsonNode block : content) {
            tokens += block(block);
        }
        return tokens;
    }

    private long block(JsonNode block) {
        return switch (block.path(TYPE).asText()) {
            case BLOCK_TEXT -> text(JsonTrees.text(block, TEXT));
            case BLOCK_THINKING -> text(JsonTrees.text(block, THINKING));
            case BLOCK_TOOL_USE -> TOOL_BLOCK_OVERHEAD + text(JsonTrees.text(block, NAME))
                    + text(JsonTrees.write(block.path(INPUT)));
            case BLOCK_TOOL_RESULT -> TOOL_BLOCK_OVERHEAD + content(block.get(CONTENT));
            case BLOCK_IMAGE -> IMAGE_TOKENS;
            case BLOCK_DOCUMENT -> SOURCE_TEXT.equals(block.path(SOURCE).path(TYPE).asText())
                    ? text(JsonTrees.text(block.path(SOURCE), DATA)) : DOCUMENT_TOKENS;
            default -> text(JsonTrees.write(block));
        };
    }

    /** The estimated tokens of one piece of text (see the class comment). */
    static long text(String text) {
        return TextTokens.estimate(text);
    }
}
