package io.caravan.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.bridge.DialectBridge;
import io.caravan.conversation.ConversationKeeper;
import io.caravan.conversation.ResponseStore;
import io.caravan.config.CaravanSettings;
import io.caravan.config.GatewaySettings;
import io.caravan.config.SettingsBinder;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.GatewayCall;
import io.caravan.exchange.RequestIds;
import io.caravan.flow.CredentialRotation;
import io.caravan.flow.LeaseCredential;
import io.caravan.flow.ModelFallback;
import io.caravan.flow.StreamUpstreamCall;
import io.caravan.flow.UnaryUpstreamCall;
import io.caravan.ingress.RevisedRequest;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import io.caravan.relay.OpenStreams;
import io.caravan.reply.FailureReply;
import io.caravan.routing.ModelFallbacks;
import io.caravan.routing.PayloadRules;
import io.caravan.routing.RoutingTable;
import io.caravan.routing.SessionAffinity;
import io.caravan.server.EventLoopSafety;
import io.caravan.server.HookThread;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordingCallerChannel;
import io.caravan.testing.Reply;
import io.caravan.upstream.UpstreamClient;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's real upstream routes and their error handling, run in a bare Camel context with no HTTP server: the
 * caller is a {@link RecordingCallerChannel}, the credentials are fake upstreams. What the caller would have received
 * is read off the channel.
 */
class UpstreamRoutesChannelTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    private static final Endpoint OPENAI_CHAT = Dialects.OPENAI.endpoints().stream()
            .filter(e -> e.operation() == Operation.CHAT).findFirst().orElseThrow();

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final FakeUpstream first = FakeUpstream.openAi();
    private final FakeUpstream second = FakeUpstream.openAi();
    private Vertx vertx;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // The jar's defaults, as a started gateway binds them.
        context.getPropertiesComponent().setLocation("classpath:" + SettingsBinder.DEFAULTS_RESOURCE);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        CamelContext context = context();
        CaravanSettings caravan = SettingsBinder.bind(context);
        GatewaySettings settings = GatewaySettings.from(caravan);
        vertx = Vertx.vertx();
        CredentialPool pool = new CredentialPool(List.of(credential("first", first), credential("second", second)),
                settings.cooldowns(), settings.queueMaxWaiting());
        UpstreamClient client = new UpstreamClient(vertx, settings);
        DialectBridge bridge = new DialectBridge(mapper, true, caravan.getTranslation().translationSettings(),
                new ConversationKeeper(new ResponseStore(0, 0, Duration.ofMinutes(1)), mapper),
                new RoutingTable(ModelFallbacks.NONE, PayloadRules.NONE));
        LeaseCredential leasing = new LeaseCredential(pool, bridge, settings, vertx,
                new ModelFallback(new RoutingTable(ModelFallbacks.NONE, PayloadRules.NONE)),
                new SessionAffinity(1, Duration.ofMinutes(1)));
        registry.bind(Beans.LEASE_CREDENTIAL, leasing);
        registry.bind(Beans.UNARY_UPSTREAM_CALL, new UnaryUpstreamCall(client, bridge, leasing, settings.maxAnswerBytes()));
        registry.bind(Beans.STREAM_UPSTREAM_CALL, new StreamUpstreamCall(client, bridge, leasing, settings, new OpenStreams()));
        registry.bind(Beans.CREDENTIAL_ROTATION, new CredentialRotation(settings));
        registry.bind(Beans.FAILURE_REPLY, new FailureReply(bridge));
        registry.bind(Beans.BEFORE_UPSTREAM_HOOK_THREAD, hookThread(context, Hooks.BEFORE_UPSTREAM));
        registry.bind(Beans.AFTER_RESPONSE_HOOK_THREAD, hookThread(context, Hooks.AFTER_RESPONSE));
        registry.bind(Beans.HOOK_CHANGES, new HookChanges(new RevisedRequest(mapper, caravan.getTranslation().translationSettings())));
    }

    private HookThread hookThread(CamelContext context, String hookUri) {
        HookThread thread = new HookThread(vertx, hookUri, new EventLoopSafety(Set.of()));
        thread.setCamelContext(context);
        return thread;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new GatewayErrorHandling(), new UpstreamRoutes()};
    }

    @AfterEach
    void closeUpstreams() {
        first.close();
        second.close();
        if (vertx != null) {
            vertx.close();
        }
    }

    @Test
    void aCredentialAnswering503IsRotatedAwayFromAndTheCallerGetsTheNextOnesAnswer() throws Exception {
        first.enqueue(Reply.openAiError(503, "server_error", "overloaded"));
        second.enqueue(Reply.text("from the second"));

        RecordingCallerChannel caller = new RecordingCallerChannel();
        GatewayCall call = dispatch(caller, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(200, caller.status());
        assertEquals("application/json", caller.contentType());
        assertEquals(call.requestId(), caller.headers().get("x-request-id"));
        JsonNode answer = mapper.readTree(caller.body());
        assertEquals("from the second", answer.at("/choices/0/message/content").asText());
        assertEquals(2, call.attempts());
        assertEquals(1, first.requestCount());
        assertEquals(1, second.requestCount());
        assertEquals(200, call.finalStatus());
    }

    @Test
    void whenEveryCredentialFailsTheCallerGetsTheLastUpstreamErrorInItsDialect() throws Exception {
        first.enqueue(Reply.openAiError(500, "server_error", "first broke"));
        second.enqueue(Reply.openAiError(503, "server_error", "second is overloaded"));

        RecordingCallerChannel caller = new RecordingCallerChannel();
        GatewayCall call = dispatch(caller, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(503, caller.status());
        assertEquals("second is overloaded", mapper.readTree(caller.body()).at("/error/message").asText());
        assertEquals(2, call.attempts());
    }

    @Test
    void aStreamThatBreaksAfterItsFirstEventsEndsWithAnInBandErrorNotARotation() throws Exception {
        first.enqueue(Reply.dropAfter(1));

        RecordingCallerChannel caller = new RecordingCallerChannel();
        GatewayCall call = dispatch(caller,
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertTrue(caller.streamStarted());
        assertNull(caller.body());
        assertTrue(caller.answerEnded(), "the stream was ended");
        List<String> events = caller.events();
        assertTrue(events.size() >= 2, "events relayed before the break, then the error: " + events);
        assertTrue(events.get(0).contains("\"chat.completion.chunk\""), events.get(0));
        String last = events.get(events.size() - 1);
        assertTrue(last.contains("\"error\"") && last.contains("The upstream connection was lost"), last);
        assertFalse(events.stream().anyMatch(e -> e.contains("[DONE]")), "an unfinished stream is never presented as finished");
        assertEquals(1, call.attempts());
        assertEquals(0, second.requestCount());
    }

    @Test
    void aStreamWhoseFirstCredentialFailsBeforeAnyEventIsServedByTheNext() throws Exception {
        first.enqueue(Reply.openAiError(503, "server_error", "overloaded"));
        second.enqueue(Reply.text("streamed by the second"));

        RecordingCallerChannel caller = new RecordingCallerChannel();
        GatewayCall call = dispatch(caller,
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertTrue(caller.streamStarted());
        assertTrue(caller.answerEnded(), "the stream was ended");
        assertEquals("streamed by the second", streamedText(caller.events()));
        assertEquals("data: [DONE]\n\n", caller.events().get(caller.events().size() - 1));
        assertEquals(2, call.attempts());
        assertEquals(200, call.finalStatus());
    }

    @Test
    void aCallerWhoLeavesMidStreamHasTheUpstreamCutOffAndTheStreamEnded() throws Exception {
        first.enqueue(Reply.stallAfter(1));

        RecordingCallerChannel caller = new RecordingCallerChannel();
        GatewayCall call = arrived(caller,
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        CompletableFuture<Exchange> done = template.asyncSend(UpstreamRoutes.DISPATCH, exchange -> {
            exchange.setProperty(GatewayCall.PROPERTY, call);
            exchange.getIn().setBody(call.json());
        });
        caller.awaitEvents(2, WAIT);
        caller.leave();

        assertNull(done.get(WAIT.toSeconds(), TimeUnit.SECONDS).getException());
        first.awaitAbort(WAIT);
        assertEquals(1, first.abortedByClient());
        assertTrue(call.callerGone());
        assertTrue(caller.answerEnded(), "the stream was ended, so that no answer of the server's own follows");
        assertEquals(2, caller.events().size(), "nothing was written after the caller left: " + caller.events());
        assertEquals(0, second.requestCount());
    }

    /** The text an OpenAI stream's content deltas add up to. */
    private String streamedText(List<String> events) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String event : events) {
            String data = event.substring("data: ".length()).trim();
            if (!data.equals("[DONE]")) {
                text.append(mapper.readTree(data).at("/choices/0/delta/content").asText(""));
            }
        }
        return text.toString();
    }

    /** Sends a request that passed the gate into the dispatch route, as a dialect's route does; returns its call. */
    private GatewayCall dispatch(RecordingCallerChannel caller, String body) throws Exception {
        GatewayCall call = arrived(caller, body);
        Exchange done = template.send(UpstreamRoutes.DISPATCH, exchange -> {
            exchange.setProperty(GatewayCall.PROPERTY, call);
            exchange.getIn().setBody(call.json());
        });
        assertNull(done.getException(), () -> "the routes answered every failure: " + done.getException());
        return call;
    }

    /** The call as the gate leaves it: the body read and checked, the caller's leaving wired to the call. */
    private GatewayCall arrived(RecordingCallerChannel caller, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> json = mapper.readValue(bytes, JSON_OBJECT);
        GatewayCall call = new GatewayCall(RequestIds.next(), OPENAI_CHAT, caller, Map.of());
        caller.onGone(call::markCallerGone);
        call.setRequest((String) json.get("model"), Boolean.TRUE.equals(json.get("stream")), bytes, json);
        return call;
    }

    private static CredentialSpec credential(String name, FakeUpstream upstream) {
        return new CredentialSpec(name, Dialects.OPENAI, upstream.baseUrl(), upstream.apiKey(),
                List.of(ModelRule.exactOrWildcard("m")), 8, true);
    }
}
