package io.caravan.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.clients.Admission;
import io.caravan.clients.ClientSpec;
import io.caravan.conversation.ConversationKeeper;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.StreamFraming;
import io.caravan.dialect.TranslationSettings;
import io.caravan.exchange.CallObserver;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.CallerRequest;
import io.caravan.exchange.GatewayCall;
import io.caravan.exchange.RequestIds;
import io.caravan.reply.AccessLog;
import io.caravan.reply.CallCompletion;
import io.caravan.reply.UsageRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The first step of every upstream-bound route: authenticates the caller, checks and parses the JSON body once,
 * admits the request by its client's allow-list and limits ({@link ClientAdmission}), and sets up the request's
 * {@link GatewayCall}. The parsed body becomes the message body, so the JsonPath
 * content-based routing that follows reads it without parsing again.
 */
public final class CallerGate implements Processor {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    /**
     * Prefix of the message headers a before-upstream hook sets to add a header upstream. The caller's own headers
     * with it are dropped here, before any hook runs: only a hook route may add upstream headers.
     */
    public static final String UPSTREAM_HEADER_PREFIX = "upstream-";
    private static final String MODEL = "model";
    private static final String STREAM = "stream";
    private static final String[] SECRET_HEADERS = {
        CallerHeaders.AUTHORIZATION, CallerHeaders.X_API_KEY, CallerHeaders.X_GOOG_API_KEY, "cookie"};

    private final Endpoint endpoint;
    private final ClientAuthenticator authenticator;
    private final ObjectMapper mapper;
    private final AccessLog accessLog;
    private final ConversationKeeper conversations;
    private final TranslationSettings translation;
    private final ClientAdmission admission;
    private final UsageRecorder usage;
    private final CallObserver observer;

    public CallerGate(Endpoint endpoint, ClientAuthenticator authenticator, ObjectMapper mapper, AccessLog accessLog,
            ConversationKeeper conversations, TranslationSettings translation, ClientAdmission admission,
            UsageRecorder usage, CallObserver observer) {
        this.endpoint = endpoint;
        this.authenticator = authenticator;
        this.mapper = mapper;
        this.accessLog = accessLog;
        this.conversations = conversations;
        this.translation = translation;
        this.admission = admission;
        this.usage = usage;
        this.observer = observer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        LocalCaller local = exchange.getProperty(LocalCaller.PROPERTY, LocalCaller.class);
        if (local != null) {
            admitLocal(exchange, local);
            return;
        }
        WebSocketTurn turn = exchange.getProperty(WebSocketTurn.PROPERTY, WebSocketTurn.class);
        HttpMessage http = turn == null ? exchange.getIn(HttpMessage.class) : null;
        GatewayCall call = turn != null ? VertxCallFactory.newCall(RequestIds.next(), endpoint, turn)
                : VertxCallFactory.newCall(RequestIds.next(), endpoint, http.getRequest(), http.getResponse());
        exchange.setProperty(GatewayCall.PROPERTY, call);
        Function<String, String> header = turn != null ? turn.headers()::get : http.getRequest()::getHeader;
        call.observeWith(observer, header);
        CallCompletion completion = new CallCompletion(call, accessLog, usage);
        exchange.getExchangeExtension().addOnCompletion(completion);

        // Caller secrets stay out of everything downstream, hook routes and their logs included.
        for (String secret : SECRET_HEADERS) {
            exchange.getIn().removeHeader(secret);
        }
        exchange.getIn().getHeaders().keySet().removeIf(name -> name.regionMatches(
                true, 0, UPSTREAM_HEADER_PREFIX, 0, UPSTREAM_HEADER_PREFIX.length()));
        Function<String, String> query = turn != null ? name -> null : http.getRequest()::getParam;
        exchange.getIn().removeHeader(ClientAuthenticator.KEY_PARAMETER);
        ClientSpec known = authenticator.knownClient(header, query);
        completion.identified(known);
        ClientSpec client = ClientAuthenticator.usable(known);
        // A turn's body is a WebSocket text frame: JSON by the protocol, whatever its handshake said.
        String contentType = turn != null ? null : header.apply(HttpHeaders.CONTENT_TYPE.toString());
        if (contentType != null && !contentType.regionMatches(true, 0, "application/json", 0, 16)) {
            throw new CallerError(415, "Content-Type must be application/json, got '" + contentType + "'");
        }
        accept(exchange, call, completion, client, query);
    }

    /**
     * A request from a route of the same Camel context (see {@link LocalCaller}): no headers, no key, its client
     * named by the caller or its own, otherwise checked and admitted exactly as a request over HTTP.
     */
    private void admitLocal(Exchange exchange, LocalCaller local) throws Exception {
        GatewayCall call = new GatewayCall(RequestIds.next(), endpoint, local.channel(), Map.of());
        local.channel().onGone(call::markCallerGone);
        exchange.setProperty(GatewayCall.PROPERTY, call);
        call.observeWith(observer, name -> null);
        CallCompletion completion = new CallCompletion(call, accessLog, usage);
        exchange.getExchangeExtension().addOnCompletion(completion);
        ClientSpec known = local.clientName() == null ? local.ownClient() : authenticator.byName(local.clientName());
        completion.identified(known);
        if (known == null) {
            throw new CallerError(401, "No client is named '" + local.clientName() + "'", "invalid_api_key");
        }
        accept(exchange, call, completion, ClientAuthenticator.usable(known), name -> null);
        // The local caller reads events, not a framed body: every dialect's stream comes to it as SSE.
        call.setStreamFraming(StreamFraming.SSE);
    }

    /** The body checked and parsed, the call's request set, the client admitted: for every kind of caller. */
    private void accept(Exchange exchange, GatewayCall call, CallCompletion completion, ClientSpec client,
            Function<String, String> query) throws Exception {
        Object body = exchange.getIn().getBody();
        byte[] bytes = body instanceof Buffer buffer ? buffer.getBytes() : exchange.getIn().getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw new CallerError(400, "The request body is empty; expected a JSON object");
        }
        Map<String, Object> json = parse(bytes);
        String name = endpoint.dialect().modelInBody() ? modelInBody(json) : modelInPath(exchange, json);
        Object stream = json.get(STREAM);
        if (stream != null && !(stream instanceof Boolean)) {
            throw new CallerError(400, "'stream' must be true or false");
        }
        String required = endpoint.requiredArray();
        if (required != null && !(json.get(required) instanceof java.util.List)) {
            throw new CallerError(400, "The request must have '" + required + "' (an array)");
        }
        Refusal invalid = endpoint.dialect().invalidRequest(endpoint, json);
        if (invalid != null) {
            throw new CallerError(400, invalid.message(), invalid.code());
        }
        ConversationKeeper.Continuation continued = conversations.resolve(endpoint.dialect(), client.name(), json, bytes);
        // Only credentials speaking the caller's dialect may serve what cannot be translated (see LeaseCredential).
        Refusal untranslatable = endpoint.dialect().refusal(endpoint, continued.json(), translation);
        call.setRequest(name, Boolean.TRUE.equals(stream) && endpoint.operation().streamable(), continued.body(),
                continued.json(), untranslatable, client.name(), continued.pinnedCredential());
        call.setStreamFraming(endpoint.dialect().streamFraming(query));
        admit(call, completion, client);
        exchange.getIn().setBody(continued.json());
    }

    /**
     * The client's allow-list and limits decide; refused or not, the request is metered as the client's, with the
     * model it asked for, and its answer carries the client's rate-limit headers.
     */
    private void admit(GatewayCall call, CallCompletion completion, ClientSpec client) throws CallerError {
        ClientAdmission.checkModel(client, call.model());
        Admission admitted = admission.admit(client);
        completion.admitted(admitted);
        call.channel().addHeaders(admitted.rateLimitHeaders());
        if (!admitted.granted()) {
            throw ClientAdmission.refusal(client, admitted);
        }
        call.progress().chargeUsageTo(tokens -> admission.charge(admitted, tokens));
        call.channel().beforeEnd(() -> admission.release(admitted));
    }

    private static String modelInBody(Map<String, Object> json) throws CallerError {
        Object model = json.get(MODEL);
        if (!(model instanceof String name) || name.isBlank()) {
            throw new CallerError(400, "The request must name a 'model' (a non-empty string)");
        }
        return name;
    }

    /**
     * The model a path names, which is also put in the parsed body with the stream flag the endpoint stands for:
     * the body every later step reads (content-based routing, translators, hooks) names both for every dialect.
     * The caller's bytes stay as they came, for an upstream of its own dialect.
     */
    private String modelInPath(Exchange exchange, Map<String, Object> json) throws CallerError {
        String name = exchange.getProperty(CallerRequest.PATH_MODEL, String.class);
        if (name == null || name.isBlank()) {
            throw new CallerError(400, "The path must name a model: " + endpoint.path());
        }
        json.put(MODEL, name);
        json.put(STREAM, endpoint.streams());
        return name;
    }

    private Map<String, Object> parse(byte[] bytes) throws CallerError {
        try {
            Map<String, Object> json = mapper.readValue(bytes, JSON_OBJECT);
            if (json == null) {
                throw new CallerError(400, "The request body must be a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
                throw new CallerError(400, "The request body is not valid JSON: unexpected content after the object");
            }
            throw new CallerError(400, "The request body must be a JSON object");
        } catch (JsonProcessingException e) {
            // Jackson's own message names its internals; the position is what helps the caller.
            String where = e.getLocation() == null ? ""
                    : " near line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new CallerError(400, "The request body is not valid JSON" + where);
        } catch (java.io.IOException e) {
            throw new CallerError(400, "The request body could not be read");
        }
    }
}
