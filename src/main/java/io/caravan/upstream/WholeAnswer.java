package io.caravan.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Reads a 2xx non-stream answer into memory, never more than a limit: an answer that says (by its
 * {@code Content-Length}) or turns out to be larger is refused as an upstream fault, and its connection closed at
 * once instead of being read to the end. The complete answer is handed to a {@link Finisher}, which shapes it for
 * the caller or refuses it too.
 */
public final class WholeAnswer implements UpstreamAttempt.SuccessHandler<Buffer> {

    /** Turns the complete upstream answer into the caller's; runs on the event loop. */
    @FunctionalInterface
    public interface Finisher {
        Buffer finish(Buffer answer) throws UpstreamFailure;
    }

    /** A first allocation for answers without a length; most are far smaller than a few kilobytes. */
    private static final int INITIAL_CAPACITY = 4096;

    private final int maxBytes;
    private final Finisher finisher;

    public WholeAnswer(int maxBytes, Finisher finisher) {
        this.maxBytes = maxBytes;
        this.finisher = finisher;
    }

    @Override
    public void onSuccess(HttpClientResponse response, UpstreamAttempt<Buffer> attempt) {
        long declared = declaredLength(response);
        response.exceptionHandler(e -> attempt.fail(
                UpstreamFailure.network(attempt.credentialName(), "the answer broke off")));
        if (declared > maxBytes) {
            attempt.abort(tooLarge(attempt));
            return;
        }
        Buffer answer = Buffer.buffer(declared >= 0 ? (int) declared : INITIAL_CAPACITY);
        response.handler(chunk -> {
            if (attempt.result().isComplete()) {
                return;
            }
            if (chunk.length() > maxBytes - answer.length()) {
                attempt.abort(tooLarge(attempt));
                return;
            }
            answer.appendBuffer(chunk);
        });
        response.endHandler(v -> {
            if (attempt.result().isComplete()) {
                return;
            }
            try {
                attempt.complete(finisher.finish(answer));
            } catch (UpstreamFailure refused) {
                attempt.fail(refused);
            }
        });
    }

    private UpstreamFailure tooLarge(UpstreamAttempt<Buffer> attempt) {
        return UpstreamFailure.invalidAnswer(attempt.credentialName(),
                "it is larger than the gateway's limit of " + maxBytes + " bytes");
    }

    private static long declaredLength(HttpClientResponse response) {
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }
}
