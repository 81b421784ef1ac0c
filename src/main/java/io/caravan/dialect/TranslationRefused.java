package io.caravan.dialect;

/**
 * What a translator throws when its work must reach the caller as an error instead of a translation: the request
 * holds something the upstream's dialect cannot carry (an image Gemini cannot fetch), or the upstream's 2xx answer
 * refuses the request instead of answering it (a prompt Gemini's safety filters blocked). Neither is the credential's
 * fault, so the gateway fails the attempt as if the upstream had answered {@link #status()} with
 * {@link #upstreamErrorBody()}: the rotation policy treats it like that status (a 400 rotates nothing and cools no
 * credential), and the translator's own {@link Translator#error} re-shapes the body for the caller, as it does any
 * upstream error, through a {@link TranslatorChain} too.
 */
public final class TranslationRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String upstreamErrorBody;

    /**
     * @param status            the HTTP status the caller gets, a 4xx
     * @param upstreamErrorBody an error body in the upstream's dialect saying why, for {@link Translator#error}
     * @param message           the same reason in words, for logs
     */
    public TranslationRefused(int status, String upstreamErrorBody, String message) {
        super(message, null, false, false);
        this.status = status;
        this.upstreamErrorBody = upstreamErrorBody;
    }

    public int status() {
        return status;
    }

    public String upstreamErrorBody() {
        return upstreamErrorBody;
    }
}
