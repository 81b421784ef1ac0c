package io.caravan.dialect.gemini;

/**
 * Gemini's thought signatures in the common model's {@code reasoning_signature}, marked with
 * {@link GeminiWire#SIGNATURE_PREFIX}: a signature is valid only at the provider that made it, so one of another
 * provider (an Anthropic thinking signature) is never sent to Gemini, and a Gemini one never to another provider.
 */
final class SignatureProvenance {

    private SignatureProvenance() {
    }

    /** The common model's {@code reasoning_signature} for a signature Gemini made. */
    static String marked(String thoughtSignature) {
        return GeminiWire.SIGNATURE_PREFIX + thoughtSignature;
    }

    /** The Gemini signature a {@code reasoning_signature} carries, or {@code null} when Gemini did not make it. */
    static String geminiSignature(String reasoningSignature) {
        if (reasoningSignature == null || !reasoningSignature.startsWith(GeminiWire.SIGNATURE_PREFIX)
                || reasoningSignature.length() == GeminiWire.SIGNATURE_PREFIX.length()) {
            return null;
        }
        return reasoningSignature.substring(GeminiWire.SIGNATURE_PREFIX.length());
    }
}
