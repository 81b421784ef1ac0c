package io.caravan.dialect.responses;

/**
 * How an Anthropic thinking signature (the common model's {@code reasoning_signature}) travels through a Responses
 * caller: in the {@code encrypted_content} of the reasoning item, the opaque field where Codex and the OpenAI SDKs
 * keep reasoning state and which they send back unchanged on the next turn ({@code store: false} with
 * {@code include: ["reasoning.encrypted_content"]}). Anthropic requires the signed thinking back on a turn that
 * continues a tool call, and verifies the signature against the thinking text.
 *
 * <p>The signature is marked as the gateway's own: a conversation may also hold reasoning items OpenAI itself
 * encrypted (a Codex session that switched models), and such a blob passed to Anthropic as a signature would fail
 * the whole request; unmarked content is not a signature and is left out.
 */
final class ThinkingSignatures {

    private static final String MARK = "caravan-thinking-signature:";

    private ThinkingSignatures() {
    }

    /** The {@code encrypted_content} carrying this signature. */
    static String sealed(String signature) {
        return MARK + signature;
    }

    /** The signature an {@code encrypted_content} carries, or {@code null} when it is not one the gateway sealed. */
    static String opened(String encryptedContent) {
        if (encryptedContent == null || !encryptedContent.startsWith(MARK)
                || encryptedContent.length() == MARK.length()) {
            return null;
        }
        return encryptedContent.substring(MARK.length());
    }
}
