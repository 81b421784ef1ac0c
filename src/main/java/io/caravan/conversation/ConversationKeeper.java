package io.caravan.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.StoredConversations;
import io.caravan.dialect.StreamTranslator;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the answers of the dialects whose API stores them ({@link Dialect#storedConversations()}), and continues
 * them: a request continuing an answer a native credential made is pinned to that credential, which alone holds it;
 * one continuing an answer the gateway translated gets its history written in, so that any credential can serve it.
 * A request continuing an answer kept nowhere is left as it is, for its dialect to refuse or a native credential to
 * answer.
 */
public final class ConversationKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationKeeper.class);

    /**
     * A request as the gateway serves it.
     *
     * @param pinnedCredential the only credential that may serve it, or {@code null} for any
     */
    public record Continuation(Map<String, Object> json, byte[] body, String pinnedCredential) {
    }

    private final ResponseStore store;
    private final ObjectMapper mapper;

    public ConversationKeeper(ResponseStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    public ResponseStore store() {
        return store;
    }

    /** The request, continued from the answer it names if this gateway keeps that answer. */
    public Continuation resolve(Dialect dialect, String client, Map<String, Object> json, byte[] body)
            throws IOException {
        StoredConversations rules = dialect.storedConversations();
        String continued = rules == null ? null : rules.continuedFrom(json);
        ResponseStore.Stored stored = continued == null ? null : store.find(continued, client);
        if (stored == null) {
            return new Continuation(json, body, null);
        }
        if (stored.credential() != null) {
            return new Continuation(json, body, stored.credential());
        }
        Map<String, Object> withHistory = rules.withHistory(json, (ArrayNode) mapper.readTree(stored.conversation()));
        return new Continuation(withHistory, mapper.writeValueAsBytes(withHistory), null);
    }

    /** Whether answers to this request are kept, so that the answer is worth reading for {@link #keep}. */
    public boolean keeps(Dialect dialect, Map<String, Object> request) {
        StoredConversations rules = dialect.storedConversations();
        return rules != null && rules.keeps(request);
    }

    /**
     * Keeps a whole answer in the caller's dialect, when its request asked for that.
     *
     * @param client           the client that asked for it, the only one that may read or continue it
     * @param nativeCredential the credential that made it, when passed through unchanged; {@code null} when the
     *     gateway translated it
     */
    public void keep(Dialect dialect, Map<String, Object> request, String client, String nativeCredential,
                     JsonNode answer) {
        if (!keeps(dialect, request) || answer == null) {
            return;
        }
        StoredConversations rules = dialect.storedConversations();
        String id = rules.answerId(answer);
        if (id == null) {
            return;
        }
        try {
            byte[] conversation = nativeCredential != null ? null
                    : mapper.writeValueAsBytes(rules.conversation(request, answer));
            store.put(id, client, nativeCredential, mapper.writeValueAsBytes(answer), conversation);
        } catch (IOException | RuntimeException unkept) {
            // The caller has its answer; only a later follow-up to it will be told it is not found.
            LOG.warn("An answer ({}) could not be kept for follow-ups: {}", id, unkept.toString());
        }
    }

    /** {@code stream}, keeping the whole answer its last event carries when the request asked for that. */
    public StreamTranslator keeping(Dialect dialect, Map<String, Object> request, String client,
                                    String nativeCredential, StreamTranslator stream) {
        if (!keeps(dialect, request)) {
            return stream;
        }
        return new KeepingStream(stream, dialect.storedConversations(), mapper,
                answer -> keep(dialect, request, client, nativeCredential, answer));
    }
}
