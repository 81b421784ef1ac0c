package io.caravan.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.conversation.ConversationKeeper;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Operation;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.TranslationRefused;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerRequest;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.relay.KeyRedactingStream;
import io.caravan.relay.MeteringStream;
import io.caravan.relay.PassthroughStream;
import io.caravan.routing.PayloadRewrite;
import io.caravan.routing.PayloadRule;
import io.caravan.routing.RoutingTable;
import io.caravan.upstream.UpstreamFailure;
import io.caravan.upstream.UpstreamHeaderPolicy;
import io.caravan.upstream.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes one request for the credential that will serve it, and its answer for the caller. For a credential that
 * speaks the caller's dialect (its kind's, or another API it lists) the body goes upstream byte for byte (only an
 * aliased model name is rewritten); for a credential of another dialect the {@link Translator} for that pair
 * rewrites request, answer, stream and errors. What each dialect looks like is asked of its {@link Dialect} plug-in;
 * nothing here names one.
 */
public class DialectBridge {

    private static final Logger LOG = LoggerFactory.getLogger(DialectBridge.class);

    private static final Set<Dialect> ANY_KIND = Set.copyOf(Dialects.all());

    private final ObjectMapper mapper;
    private final boolean translate;
    /** By caller dialect, then by upstream dialect: every pair of two different dialects. */
    private final Map<Dialect, Map<Dialect, Translator>> translators = new HashMap<>();
    private final Map<Dialect, Set<Dialect>> ownKind = new HashMap<>();
    private final ConversationKeeper conversations;
    private final RoutingTable routing;

    /**
     * @param translate whether credentials of another dialect may serve a request
     * @param conversations keeps the answers callers ask to be kept, whether passed through or translated
     * @param routing the payload rules in force, read afresh for each attempt (a reload swaps them)
     */
    public DialectBridge(ObjectMapper mapper, boolean translate, TranslationSettings settings,
                         ConversationKeeper conversations, RoutingTable routing) {
        this.mapper = mapper;
        this.translate = translate;
        this.conversations = conversations;
        this.routing = routing;
        for (Dialect caller : Dialects.all()) {
            ownKind.put(caller, Set.of(caller));
            Map<Dialect, Translator> byUpstream = new HashMap<>();
            for (Dialect upstream : Dialects.all()) {
                if (caller != upstream) {
                    byUpstream.put(upstream, Translators.between(caller, upstream, settings));
                }
            }
            translators.put(caller, byUpstream);
        }
    }

    /**
     * The dialects a credential must speak to serve this call: any, when translation is on, the operation translates
     * (token counting does not: only the caller's own dialect can count its tokens) and the request can be translated
     * ({@link io.caravan.exchange.CallerRequest#untranslatable()}); else the caller's own.
     */
    public Set<Dialect> servingKinds(GatewayCall call) {
        return translate && call.endpoint().operation().translatable() && call.request().untranslatable() == null
                ? ANY_KIND : ownKind.get(call.dialect());
    }

    /**
     * The upstream request for one attempt of {@code call} with {@code credential}: its body in the credential's
     * dialect, and its headers as {@link UpstreamHeaderPolicy} decides them.
     */
    public UpstreamRequest upstreamRequest(GatewayCall call, Credential credential) throws IOException, UpstreamFailure {
        String upstreamModel = credential.spec().upstreamModel(call.servedModel());
        Buffer body = requestBody(call, credential, upstreamModel);
        CallerRequest request = call.request();
        MultiMap headers = UpstreamHeaderPolicy.headers(call.extraUpstreamHeaders(), request.dialect(),
                request.relayedHeaders(), credential, request.stream(), body.length());
        String path = request.endpoint().upstreamPath(credential.answersIn(call.dialect()), upstreamModel,
                request.stream());
        return new UpstreamRequest(credential, path, headers, body, request.stream(), request.startNanos());
    }

    /**
     * The body for the credential: translated; or the caller's bytes, rewritten only where the model name in the body
     * is aliased or a stream must be asked to report its usage ({@link Dialect#withStreamUsage}), for metering and
     * limits. The payload rules for the public model and the credential then apply to it, in the upstream's dialect;
     * a request no rule applies to is not parsed for them.
     */
    private Buffer requestBody(GatewayCall call, Credential credential, String upstreamModel)
            throws IOException, UpstreamFailure {
        List<PayloadRule> rules = call.endpoint().operation() == Operation.CHAT
                ? routing.rules().payloadRules().applyingTo(call.servedModel(), credential.name()) : List.of();
        if (!credential.speaks(call.dialect())) {
            ObjectNode translated;
            try {
                translated = translator(call, credential).request(call.tree(mapper), upstreamModel);
            } catch (TranslationRefused refused) {
                throw refusal(credential, refused);
            }
            PayloadRewrite.apply(rules, translated);
            return Buffer.buffer(mapper.writeValueAsBytes(translated));
        }
        Map<String, Object> askingForUsage = streamAskingForUsage(call);
        // A body that does not name its model is sent as it came: the upstream path names the model. One that names
        // the requested model is rewritten for an alias or a fallback.
        boolean rewritten = call.dialect().modelInBody()
                && (askingForUsage != null || !upstreamModel.equals(call.model()));
        if (rules.isEmpty()) {
            if (!rewritten) {
                return Buffer.buffer(call.body());
            }
            Map<String, Object> renamed = new LinkedHashMap<>(askingForUsage != null ? askingForUsage : call.json());
            renamed.put("model", upstreamModel);
            return Buffer.buffer(mapper.writeValueAsBytes(renamed));
        }
        // A tree of the caller's request of its own, never call.tree(): that one is shared and names a Gemini
        // request's model and stream, which its body does not.
        ObjectNode body = rewritten
                ? mapper.valueToTree(askingForUsage != null ? askingForUsage : call.json())
                : (ObjectNode) mapper.readTree(call.body());
        if (rewritten) {
            body.put("model", upstreamModel);
        }
        PayloadRewrite.apply(rules, body);
        return Buffer.buffer(mapper.writeValueAsBytes(body));
    }

    /**
     * A passed-through streamed request that asks for the usage the caller did not ask for, or {@code null} when
     * the request is not streamed or its stream reports usage as it is. A translated request asks by itself: each
     * translator towards a dialect that needs asking asks.
     */
    private static Map<String, Object> streamAskingForUsage(GatewayCall call) {
        return call.stream() ? call.dialect().withStreamUsage(call.json()) : null;
    }

    /**
     * The caller's answer made of a whole 2xx upstream answer, which must be an answer of the upstream's dialect:
     * anything else (an HTML login page, garbage, truncated JSON) is refused as an upstream fault, and so is an
     * answer the translation cannot take, so that nothing thrown here escapes as a gateway error.
     */
    public Buffer responseBody(GatewayCall call, Credential credential, Buffer upstreamBody) throws UpstreamFailure {
        Dialect upstreamDialect = credential.answersIn(call.dialect());
        AnswerShape shape = upstreamDialect.answerShape(call.endpoint().operation());
        if (credential.speaks(call.dialect())) {
            ObjectNode keptFields = shape.read(upstreamBody);
            if (keptFields == null) {
                throw UpstreamFailure.invalidAnswer(credential.name(), "it is not " + shape.description());
            }
            call.recordUsage(upstreamDialect.answerUsage(keptFields));
            if (conversations.keeps(call.dialect(), call.json())) {
                keep(call, credential.name(), upstreamBody);
            }
            return upstreamBody;
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(upstreamBody.getBytes());
        } catch (IOException notJson) {
            answer = null;
        }
        if (!shape.matches(answer)) {
            throw UpstreamFailure.invalidAnswer(credential.name(), "it is not " + shape.description());
        }
        try {
            ObjectNode translated = translator(call, credential).response((ObjectNode) answer, call.servedModel());
            conversations.keep(call.dialect(), call.json(), call.request().client(), null, translated);
            Buffer callerAnswer = Buffer.buffer(mapper.writeValueAsBytes(translated));
            // Only an answer the caller gets counts: one that could not be translated fails the attempt.
            call.recordUsage(upstreamDialect.answerUsage(answer));
            return callerAnswer;
        } catch (TranslationRefused refused) {
            throw refusal(credential, refused);
        } catch (IOException | RuntimeException untranslatable) {
            LOG.warn("{}: the answer of credential {} could not be translated", call.requestId(), credential.name(),
                    untranslatable);
            throw UpstreamFailure.invalidAnswer(credential.name(), "it could not be translated into the caller's dialect");
        }
    }

    /**
     * The state machine for one attempt's stream: passed through or translated, with the credential's key masked in
     * its errors and the answer kept where asked, and its usage read from the upstream's events into the call
     * ({@link MeteringStream}). A passed-through stream that reports usage only because the gateway asked
     * ({@link #requestBody}) does not show the caller that extra event.
     */
    public StreamTranslator streamTranslator(GatewayCall call, Credential credential) throws IOException {
        boolean passedThrough = credential.speaks(call.dialect());
        StreamTranslator stream = passedThrough
                ? new PassthroughStream(call.dialect(), call.requestId())
                : translator(call, credential).stream(call.tree(mapper), call.servedModel(), call.requestId());
        StreamTranslator served = conversations.keeping(call.dialect(), call.json(), call.request().client(),
                passedThrough ? credential.name() : null,
                new KeyRedactingStream(stream, credential.keyRedactor()));
        boolean gatewayAskedForUsage = passedThrough && streamAskingForUsage(call) != null;
        return new MeteringStream(served, credential.answersIn(call.dialect()).streamUsage(), gatewayAskedForUsage,
                call::recordUsage);
    }

    /**
     * An upstream error body in the caller's dialect, or {@code null} when the body is no API error worth relaying
     * (HTML, empty): the caller then gets a gateway-written error with the same status. The credential's key, or
     * any long enough part of it, is masked first (and again after translation, which may re-encode the text).
     */
    public Buffer errorBody(GatewayCall call, Credential credential, UpstreamFailure failure) throws IOException {
        String body = credential.keyRedactor().redact(failure.body());
        if (!isApiError(body)) {
            return null;
        }
        if (credential.speaks(call.dialect())) {
            return Buffer.buffer(body);
        }
        String translated = mapper.writeValueAsString(translator(call, credential).error(failure.status(), body));
        // Again after translation: a key written with JSON escapes in the upstream's body is plain text once re-encoded.
        return Buffer.buffer(credential.keyRedactor().redact(translated));
    }

    /** The attempt fails as if the upstream had answered the refusal's status and body ({@link TranslationRefused}). */
    private static UpstreamFailure refusal(Credential credential, TranslationRefused refused) {
        return UpstreamFailure.status(refused.status(), MultiMap.caseInsensitiveMultiMap(), refused.upstreamErrorBody(),
                credential.name());
    }

    /** Keeps a passed-through answer for follow-ups, pinned to the credential that made it. */
    private void keep(GatewayCall call, String credential, Buffer answer) {
        try {
            conversations.keep(call.dialect(), call.json(), call.request().client(), credential,
                    mapper.readTree(answer.getBytes()));
        } catch (IOException matchedButUnreadable) {
            // The shape check read it; an answer that parses no further is simply not kept.
        }
    }

    private boolean isApiError(String body) {
        if (body == null || body.isBlank() || body.charAt(0) != '{') {
            return false;
        }
        try {
            return mapper.readTree(body).has("error");
        } catch (IOException e) {
            return false;
        }
    }

    private Translator translator(GatewayCall call, Credential credential) {
        return translators.get(call.dialect()).get(credential.kind());
    }
}
