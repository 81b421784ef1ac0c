package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.component.CaravanConstants;
import io.caravan.component.CaravanNoCredentialException;
import io.caravan.component.CaravanRateLimitedException;
import io.caravan.component.CaravanRequestException;
import io.caravan.component.CaravanUpstreamException;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code caravan:} component from plain routes, with camel-test-junit5: the test's Camel context is the booted
 * gateway's (as an application embedding it has), its routes call {@code caravan:} endpoints, and fake upstreams
 * answer. Sync and streamed answers, every body form, each failure caught by type with {@code onException}, rotation,
 * client limits and usage metering, in the chat, messages and responses dialects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaravanComponentTest extends CamelTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";
    private static final String CHAT_REQUEST =
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the ticket\"}]}";

    private FakeUpstream openAi;
    private FakeUpstream rotation;
    private FakeUpstream anthropic;
    private FakeUpstream gemini;
    private TestGateway gateway;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        openAi = FakeUpstream.openAi();
        rotation = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gemini = FakeUpstream.gemini();
        gateway = TestGateway.builder()
                .credential("openai", openAi, "[gpt-4o, text-embedding-3-small]")
                .credential("rotation-a", rotation, "[rotation-model]")
                .credential("rotation-b", rotation, "[rotation-model]")
                .credential("anthropic", anthropic, "[claude-test]")
                .rawCredential("  - name: gemini\n    kind: gemini\n    base-url: " + gemini.baseUrl()
                        + "\n    api-key: " + gemini.apiKey() + "\n    models: [gemini-2.5-flash]\n")
                .clients("""
                          - name: ticket-desk
                            key: key-ticket-desk-0123456789
                          - name: one-a-minute
                            key: key-one-a-minute-0123456789
                            limits: {requests-per-minute: 1}
                          - name: gpt-only
                            key: key-gpt-only-0123456789
                            models: ["gpt-*"]
                        """)
                .set("caravan.admin-keys", ADMIN_KEY)
                .start();
        return gateway.camelContext();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(CaravanRateLimitedException.class).handled(true).to("mock:rate-limited");
                onException(CaravanNoCredentialException.class).handled(true).to("mock:no-credential");
                onException(CaravanUpstreamException.class).handled(true).to("mock:upstream-refused");
                onException(CaravanRequestException.class).handled(true).to("mock:bad-request");

                from("direct:tickets").routeId("tickets").to("caravan:chat?model=gpt-4o").to("mock:answers");
                from("direct:as-map").routeId("as-map").to("caravan:chat?model=gpt-4o&outputType=Map");
                from("direct:metered").routeId("metered").to("caravan:chat");
                from("direct:desk").routeId("desk").to("caravan:chat?model=gpt-4o&client=ticket-desk");
                from("direct:streamed").routeId("streamed").to("caravan:chat?model=gpt-4o&streamTo=mock:events");
                from("direct:rotating").routeId("rotating").to("caravan:chat?model=rotation-model");
                from("direct:limited").routeId("limited").to("caravan:chat?model=gpt-4o&client=one-a-minute");
                from("direct:nobody").routeId("nobody").to("caravan:chat?model=gpt-4o&client=no-such-client");
                from("direct:gpt-only").routeId("gpt-only").to("caravan:messages?model=claude-test&client=gpt-only");
                from("direct:messages").routeId("messages").to("caravan:messages?model=claude-test");
                from("direct:messages-streamed").routeId("messages-streamed")
                        .to("caravan:messages?model=claude-test&streamTo=mock:message-events");
                from("direct:responses").routeId("responses").to("caravan:responses?model=gpt-4o");
                from("direct:refusing-events").routeId("refusing-events")
                        .to("caravan:chat?model=gpt-4o&streamTo=direct:refuse-second-event");
                from("direct:refuse-second-event").routeId("refuse-second-event").process(event -> {
                    if (event.getIn().getHeader(CaravanConstants.EVENT_INDEX, Integer.class) == 1) {
                        throw new IllegalStateException("the answers queue is full");
                    }
                }).to("mock:accepted-events");
                from("direct:embeddings").routeId("embeddings").to("caravan:embeddings?model=text-embedding-3-small");
                from("direct:gemini").routeId("gemini").to("caravan:gemini?model=gemini-2.5-flash");
                from("direct:gemini-streamed").routeId("gemini-streamed")
                        .to("caravan:gemini?model=gemini-2.5-flash&streamTo=mock:gemini-events");
            }
        };
    }

    @AfterAll
    void stopGateway() throws Exception {
        TestGateway.closeAll(gateway, openAi, rotation, anthropic, gemini);
    }

    @BeforeEach
    void freshMocksAndReplies() {
        MockEndpoint.resetMocks(context);
        openAi.discardPendingReplies();
        rotation.discardPendingReplies();
        anthropic.discardPendingReplies();
        gemini.discardPendingReplies();
    }

    private Exchange call(String uri, Object body) {
        return template.request(uri, exchange -> exchange.getIn().setBody(body));
    }

    private static JsonNode json(Object body) throws Exception {
        return JSON.readTree((String) body);
    }

    @Test
    void aJsonRequestIsAnsweredWithTheAnswerAndHeadersForModelCredentialAttemptsUsageAndRequestId() throws Exception {
        openAi.enqueue(Reply.text("The printer is out of toner."));
        MockEndpoint answers = getMockEndpoint("mock:answers");
        answers.expectedMessageCount(1);

        Exchange done = call("direct:tickets", CHAT_REQUEST);

        answers.assertIsSatisfied();
        assertNull(done.getException());
        JsonNode answer = json(done.getMessage().getBody());
        assertEquals("The printer is out of toner.", answer.at("/choices/0/message/content").asText());
        Map<String, Object> headers = answers.getExchanges().get(0).getIn().getHeaders();
        assertEquals("gpt-4o", headers.get(CaravanConstants.MODEL));
        assertEquals("openai", headers.get(CaravanConstants.CREDENTIAL));
        assertEquals(1, headers.get(CaravanConstants.ATTEMPTS));
        assertEquals(answer.at("/usage/prompt_tokens").asLong(), headers.get(CaravanConstants.INPUT_TOKENS));
        assertEquals(answer.at("/usage/completion_tokens").asLong(), headers.get(CaravanConstants.OUTPUT_TOKENS));
        assertTrue((Long) headers.get(CaravanConstants.OUTPUT_TOKENS) > 0);
        assertTrue(((String) headers.get(CaravanConstants.REQUEST_ID)).length() > 0);
        assertEquals("route.tickets", headers.get(CaravanConstants.CLIENT));
        RecordedRequest upstream = openAi.lastRequest();
        assertEquals("Summarise the ticket", upstream.json().at("/messages/0/content").asText());
        assertNotEquals(TestGateway.CLIENT_KEY, upstream.header("authorization"));
    }

    @Test
    void aMapBodyIsARequestAndOutputTypeMapAnswersWithAMap() {
        openAi.enqueue(Reply.text("Mapped."));

        Exchange done = call("direct:as-map", Map.of("messages", List.of(Map.of("role", "user", "content", "Hi"))));

        assertNull(done.getException());
        Map<?, ?> answer = assertInstanceOf(Map.class, done.getMessage().getBody());
        Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>) ((List<?>) answer.get("choices")).get(0)).get("message");
        assertEquals("Mapped.", message.get("content"));
        assertEquals("gpt-4o", openAi.lastRequest().model());
        assertEquals("Hi", openAi.lastRequest().json().at("/messages/0/content").asText());
    }

    @Test
    void aPlainStringIsOneUserMessageInTheEndpointsDialect() throws Exception {
        openAi.enqueue(Reply.text("Short summary."));

        Exchange done = call("direct:tickets", "Summarise: the printer on floor 3 jams");

        assertEquals("Short summary.", json(done.getMessage().getBody()).at("/choices/0/message/content").asText());
        JsonNode sent = openAi.lastRequest().json();
        assertEquals("gpt-4o", sent.get("model").asText());
        assertEquals(1, sent.get("messages").size());
        assertEquals("user", sent.at("/messages/0/role").asText());
        assertEquals("Summarise: the printer on floor 3 jams", sent.at("/messages/0/content").asText());
    }

    @Test
    void aStreamSendsEveryEventInOrderToStreamToAndCompletesWithTheText() throws Exception {
        openAi.enqueue(Reply.text("one two three four"));
        MockEndpoint events = getMockEndpoint("mock:events");

        Exchange done = template.request("direct:streamed", exchange -> {
            exchange.getIn().setBody("Count to four");
            exchange.getIn().setHeader("ticket", "T-42");
        });

        assertNull(done.getException());
        assertEquals("one two three four", done.getMessage().getBody());
        assertTrue(openAi.lastRequest().json().get("stream").asBoolean());
        int count = (Integer) done.getMessage().getHeader(CaravanConstants.EVENT_COUNT);
        assertTrue(count > 4, "a role chunk, four words, a finish, usage: " + count);
        // Every event was delivered before the calling exchange completed.
        List<Exchange> received = events.getExchanges();
        assertEquals(count, received.size());
        StringBuilder text = new StringBuilder();
        String requestId = (String) done.getMessage().getHeader(CaravanConstants.REQUEST_ID);
        for (int i = 0; i < received.size(); i++) {
            Exchange event = received.get(i);
            assertEquals(i, event.getIn().getHeader(CaravanConstants.EVENT_INDEX));
            assertEquals(requestId, event.getIn().getHeader(CaravanConstants.REQUEST_ID));
            assertEquals("T-42", event.getIn().getHeader("ticket"));
            String data = event.getIn().getBody(String.class);
            if (!data.equals("[DONE]")) {
                text.append(JSON.readTree(data).at("/choices/0/delta/content").asText(""));
            }
        }
        assertEquals("one two three four", text.toString());
        assertTrue((Long) done.getMessage().getHeader(CaravanConstants.OUTPUT_TOKENS) > 0);
    }

    @Test
    void aClientOverItsRateLimitIsCaughtAsRateLimitedWithRetryAfter() throws Exception {
        openAi.enqueue(Reply.text("First."));
        MockEndpoint limited = getMockEndpoint("mock:rate-limited");
        limited.expectedMessageCount(1);
        int before = openAi.requestCount();

        Exchange first = call("direct:limited", "Once");
        Exchange second = call("direct:limited", "Twice");

        limited.assertIsSatisfied();
        assertNull(first.getException());
        assertEquals(before + 1, openAi.requestCount());
        CaravanRateLimitedException caught = assertInstanceOf(CaravanRateLimitedException.class,
                second.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(429, caught.status());
        assertNotNull(caught.retryAfter());
        assertTrue(caught.retryAfter().toSeconds() > 0, caught.retryAfter().toString());
        assertEquals("rate_limit_exceeded", JSON.readTree(caught.body()).at("/error/code").asText());
        assertTrue(caught.getMessage().contains("one-a-minute"), caught.getMessage());
    }

    @Test
    void aModelNoCredentialServesIsCaughtAsNoCredential() {
        MockEndpoint none = getMockEndpoint("mock:no-credential");

        Exchange done = call("direct:metered", "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");

        assertEquals(1, none.getReceivedCounter());
        CaravanNoCredentialException caught = assertInstanceOf(CaravanNoCredentialException.class,
                done.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(404, caught.status());
        assertTrue(caught.getMessage().contains("no-such-model"), caught.getMessage());
    }

    @Test
    void anUpstreamRefusalIsCaughtAsUpstreamRefusedWithItsStatusAndBody() throws Exception {
        openAi.enqueue(Reply.openAiError(400, "invalid_request_error", "The tickets are too long"));
        MockEndpoint refused = getMockEndpoint("mock:upstream-refused");

        Exchange done = call("direct:tickets", CHAT_REQUEST);

        assertEquals(1, refused.getReceivedCounter());
        CaravanUpstreamException caught = assertInstanceOf(CaravanUpstreamException.class,
                done.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(400, caught.status());
        assertEquals("The tickets are too long", JSON.readTree(caught.body()).at("/error/message").asText());
    }

    @Test
    void aBadRequestAnUnknownClientAndAModelOutsideTheAllowListAreCaughtAsRequestErrors() throws Exception {
        MockEndpoint bad = getMockEndpoint("mock:bad-request");
        int before = openAi.requestCount() + anthropic.requestCount();

        Exchange malformed = call("direct:tickets", "{\"model\":\"gpt-4o\",\"messages\":\"not a list\"}");
        Exchange nobody = call("direct:nobody", "Hi");
        Exchange notAllowed = call("direct:gpt-only", "Hi");

        assertEquals(3, bad.getReceivedCounter());
        assertEquals(400, ((CaravanRequestException) malformed.getProperty(Exchange.EXCEPTION_CAUGHT)).status());
        CaravanRequestException unknown = (CaravanRequestException) nobody.getProperty(Exchange.EXCEPTION_CAUGHT);
        assertEquals(401, unknown.status());
        assertTrue(unknown.getMessage().contains("no-such-client"), unknown.getMessage());
        CaravanRequestException refused = (CaravanRequestException) notAllowed.getProperty(Exchange.EXCEPTION_CAUGHT);
        assertEquals(403, refused.status());
        // In the endpoint's dialect: Anthropic's error shape.
        assertEquals("error", JSON.readTree(refused.body()).get("type").asText());
        assertEquals(before, openAi.requestCount() + anthropic.requestCount());
    }

    @Test
    void aRateLimitedCredentialRotatesToTheOtherOne() throws Exception {
        rotation.enqueue(Reply.rateLimited(30));
        rotation.enqueue(Reply.text("From the second credential."));

        Exchange done = call("direct:rotating", "Rotate");

        assertNull(done.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertNull(done.getException());
        assertEquals("From the second credential.",
                json(done.getMessage().getBody()).at("/choices/0/message/content").asText());
        assertEquals(2, done.getMessage().getHeader(CaravanConstants.ATTEMPTS));
        String served = (String) done.getMessage().getHeader(CaravanConstants.CREDENTIAL);
        assertTrue(served.equals("rotation-a") || served.equals("rotation-b"), served);
        String cooled = served.equals("rotation-a") ? "rotation-b" : "rotation-a";
        assertEquals("cooling", new AdminApi(gateway, ADMIN_KEY).credential(cooled).get("state").asText());
        assertEquals(2, rotation.requestCount());
    }

    @Test
    void usageIsRecordedUnderTheRoutesOwnClientOrTheNamedOne() throws Exception {
        openAi.enqueue(Reply.text("Metered."));
        openAi.enqueue(Reply.text("Metered for the desk."));

        Exchange own = call("direct:metered", CHAT_REQUEST);
        Exchange desk = call("direct:desk", "Hi");

        AdminApi admin = new AdminApi(gateway, ADMIN_KEY);
        JsonNode row = admin.awaitSingleUsageRow("route.metered");
        assertEquals("gpt-4o", row.get("model").asText());
        assertEquals("openai", row.get("credential").asText());
        assertEquals(own.getMessage().getHeader(CaravanConstants.INPUT_TOKENS), row.get("input_tokens").asLong());
        assertEquals(own.getMessage().getHeader(CaravanConstants.OUTPUT_TOKENS), row.get("output_tokens").asLong());
        JsonNode deskRow = admin.awaitSingleUsageRow("ticket-desk");
        assertEquals(desk.getMessage().getHeader(CaravanConstants.OUTPUT_TOKENS), deskRow.get("output_tokens").asLong());
        assertEquals("ticket-desk", desk.getMessage().getHeader(CaravanConstants.CLIENT));
    }

    @Test
    void theMessagesDialectAnswersInItsOwnShapeAndStreamsNamedEvents() throws Exception {
        anthropic.enqueue(Reply.text("Bonjour."));
        anthropic.enqueue(Reply.text("Streamed in French"));
        MockEndpoint events = getMockEndpoint("mock:message-events");

        Exchange whole = call("direct:messages", "Say hello in French");
        Exchange streamed = call("direct:messages-streamed", "Say more");

        JsonNode answer = json(whole.getMessage().getBody());
        assertEquals("message", answer.get("type").asText());
        assertEquals("Bonjour.", answer.at("/content/0/text").asText());
        assertEquals(1024, anthropic.requests().get(anthropic.requestCount() - 2).json().get("max_tokens").asInt());
        assertEquals("Streamed in French", streamed.getMessage().getBody());
        List<Exchange> received = events.getExchanges();
        assertEquals("message_start", received.get(0).getIn().getHeader(CaravanConstants.EVENT_NAME));
        assertEquals("message_stop", received.get(received.size() - 1).getIn().getHeader(CaravanConstants.EVENT_NAME));
    }

    @Test
    void theResponsesDialectIsServedByTranslationToAChatCredential() throws Exception {
        openAi.enqueue(Reply.text("Translated answer."));

        Exchange done = call("direct:responses", "Answer through responses");

        assertNull(done.getException());
        JsonNode answer = json(done.getMessage().getBody());
        assertEquals("response", answer.get("object").asText());
        assertEquals("Translated answer.", answer.at("/output/0/content/0/text").asText());
        assertEquals("Answer through responses", openAi.lastRequest().json().at("/messages/0/content").asText());
        assertEquals("openai", done.getMessage().getHeader(CaravanConstants.CREDENTIAL));
    }

    @Test
    void toolingReadsTheComponentsOptionsFromItsGeneratedDescriptor() throws Exception {
        JsonNode schema = JSON.readTree(((org.apache.camel.CatalogCamelContext) context)
                .getComponentParameterJsonSchema("caravan"));
        assertEquals("caravan:api", schema.at("/component/syntax").asText());
        assertTrue(schema.at("/component/producerOnly").asBoolean());
        JsonNode options = schema.get("properties");
        assertEquals("[\"chat\",\"messages\",\"responses\",\"embeddings\",\"gemini\"]",
                options.at("/api/enum").toString());
        assertEquals("String", options.at("/outputType/defaultValue").asText());
        assertTrue(options.at("/streamTo/description").asText().contains("each event"));
        assertTrue(options.at("/client/description").asText().contains("route.tickets"));
        assertNotNull(schema.at("/headers/" + CaravanConstants.MODEL + "/description").textValue());
        assertNotNull(org.apache.camel.support.PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer("caravan-endpoint", context));
    }

    @Test
    void embeddingsAreAnsweredWithTheVectorsAndTheirInputTokens() throws Exception {
        Exchange done = call("direct:embeddings", "Embed this ticket");

        assertNull(done.getException());
        JsonNode answer = json(done.getMessage().getBody());
        assertEquals("list", answer.get("object").asText());
        assertTrue(answer.at("/data/0/embedding").size() > 0, answer.toString());
        assertEquals("Embed this ticket", openAi.lastRequest().json().get("input").asText());
        assertEquals(answer.at("/usage/prompt_tokens").asLong(), done.getMessage().getHeader(CaravanConstants.INPUT_TOKENS));
    }

    @Test
    void geminiTakesTheModelFromTheEndpointAndStreamsThroughStreamGenerateContent() throws Exception {
        gemini.enqueue(Reply.text("Hallo."));
        gemini.enqueue(Reply.text("Hallo in pieces"));
        MockEndpoint events = getMockEndpoint("mock:gemini-events");

        Exchange whole = call("direct:gemini", "Say hello in German");
        Exchange streamed = call("direct:gemini-streamed", "Say more");

        assertEquals("Hallo.", json(whole.getMessage().getBody()).at("/candidates/0/content/parts/0/text").asText());
        RecordedRequest first = gemini.requests().get(gemini.requestCount() - 2);
        assertTrue(first.path().endsWith("/models/gemini-2.5-flash:generateContent"), first.path());
        assertEquals("Say hello in German", first.json().at("/contents/0/parts/0/text").asText());
        assertTrue(gemini.lastRequest().path().endsWith(":streamGenerateContent"), gemini.lastRequest().path());
        assertEquals("Hallo in pieces", streamed.getMessage().getBody());
        assertEquals(streamed.getMessage().getHeader(CaravanConstants.EVENT_COUNT), events.getReceivedCounter());
    }

    @Test
    void anEventTheStreamToEndpointRefusesFailsTheCallAndStopsTheUpstreamStream() throws Exception {
        openAi.enqueue(Reply.text("word ".repeat(60).trim()).paced(Duration.ofMillis(50)));
        MockEndpoint accepted = getMockEndpoint("mock:accepted-events");
        int abortedBefore = openAi.abortedByClient();

        Exchange done = call("direct:refusing-events", "Talk at length");

        IllegalStateException refused = assertInstanceOf(IllegalStateException.class, done.getException());
        assertEquals("the answers queue is full", refused.getMessage());
        assertEquals(1, accepted.getReceivedCounter());
        assertNotNull(openAi.awaitAbort(Duration.ofSeconds(10)));
        assertEquals(abortedBefore + 1, openAi.abortedByClient());
    }
}
