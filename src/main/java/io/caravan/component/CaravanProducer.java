package io.caravan.component;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.clients.ClientKeys;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ModelAllowList;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.CallerRequest;
import io.caravan.exchange.GatewayCall;
import io.caravan.ingress.LocalCaller;
import io.caravan.pool.Lease;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Sends each exchange's request through the gateway's own route for the API's endpoint, the one an HTTP request to
 * it runs (the caller gate, the dispatch, the credential lease, the hooks, the upstream call with its rotation, the
 * failure replies, the usage metering), as a request of its own exchange answered on a {@link LocalCallerChannel}.
 * The calling exchange gets the answer, or the failure as a {@link CaravanException}, on the component's threads.
 */
final class CaravanProducer extends DefaultAsyncProducer {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    /** The prefix of the name of a calling route's own client. */
    static final String ROUTE_CLIENT_PREFIX = "route.";
    private static final int MAX_CLIENT_NAME = 64;

    private final CaravanEndpoint endpoint;
    private final CaravanApi api;
    private final Endpoint gatewayEndpoint;
    private final LocalRequests requests;
    private final boolean streamed;
    /** The calling routes' own clients, by route id: a few, made once each. */
    private final Map<String, ClientSpec> routeClients = new ConcurrentHashMap<>();
    private volatile AsyncProcessor gatewayRoute;
    private org.apache.camel.Endpoint streamEndpoint;
    private AsyncProducer streamProducer;

    CaravanProducer(CaravanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.api = endpoint.getApi();
        this.streamed = endpoint.getStreamTo() != null;
        this.gatewayEndpoint = api.endpoint(streamed);
        this.requests = new LocalRequests(JSON, api, endpoint.getModel(), endpoint.getMaxTokens(), streamed);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (streamed) {
            streamEndpoint = getEndpoint().getCamelContext().getEndpoint(endpoint.getStreamTo());
            streamProducer = streamEndpoint.createAsyncProducer();
            ServiceHelper.startService(streamProducer);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(streamProducer);
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Exchange inner;
        AsyncProcessor route;
        try {
            route = gatewayRoute();
            inner = new DefaultExchange(getEndpoint().getCamelContext(), ExchangePattern.InOut);
            Message in = exchange.getIn();
            Object body = in.getBody();
            inner.getIn().setBody(requests.request(body instanceof Map || body instanceof byte[] || body instanceof String
                    ? body : in.getBody(String.class)));
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (!api.dialect().modelInBody()) {
            inner.setProperty(CallerRequest.PATH_MODEL, endpoint.getModel());
        }
        Call call = new Call(exchange, inner);
        String clientName = endpoint.getClient();
        inner.setProperty(LocalCaller.PROPERTY, new LocalCaller(call.channel, clientName,
                clientName == null ? routeClient(exchange.getFromRouteId()) : null));
        boolean sync = route.process(inner, doneSync -> {
            if (doneSync && call.channel.eventCount() == 0) {
                call.doneInline = true;
                call.finish();
                callback.done(true);
            } else {
                // After the stream's last event is handed on; and never on the event loop that finished the call.
                call.delivery.submit(() -> {
                    call.finish();
                    callback.done(false);
                });
            }
        });
        return sync && call.doneInline;
    }

    private AsyncProcessor gatewayRoute() throws CaravanException {
        AsyncProcessor processor = gatewayRoute;
        if (processor == null) {
            Route route = getEndpoint().getCamelContext().getRoute(gatewayEndpoint.routeId());
            if (route == null) {
                throw new CaravanException("This Camel context has no gateway route '" + gatewayEndpoint.routeId()
                        + "': caravan: endpoints call the gateway running in their own context", 503, null, null, null);
            }
            processor = AsyncProcessorConverterHelper.convert(route.getProcessor());
            gatewayRoute = processor;
        }
        return processor;
    }

    /** The calling route's own client: every model, no limits, its usage under {@code route.<routeId>}. */
    private ClientSpec routeClient(String routeId) {
        String id = routeId == null ? "unknown" : routeId;
        return routeClients.computeIfAbsent(id, key -> {
            String name = ROUTE_CLIENT_PREFIX + key.replaceAll("[^A-Za-z0-9._-]", "_");
            if (name.length() > MAX_CLIENT_NAME) {
                name = name.substring(0, MAX_CLIENT_NAME);
            }
            // The empty key's digest, as the open gateway's client has: no key can have it, and none is looked up.
            return new ClientSpec(name, ClientKeys.sha256Hex(""), ModelAllowList.ALL, ClientLimits.NONE, null, true,
                    ClientSpec.Origin.SETTINGS);
        });
    }

    /** One request: its two exchanges, its channel, and the hand-off of its events and its completion. */
    private final class Call implements LocalCallerChannel.EventListener {

        final Exchange exchange;
        final Exchange inner;
        final LocalCallerChannel channel = new LocalCallerChannel(this);
        final OrderedDelivery delivery = new OrderedDelivery(endpoint.getComponent().executor());
        final StreamedText text = new StreamedText(JSON, api);
        /** Whether the request was done before the process call returned, and the calling exchange with it. */
        boolean doneInline;
        private int index;
        private Exception deliveryFailure;

        Call(Exchange exchange, Exchange inner) {
            this.exchange = exchange;
            this.inner = inner;
        }

        @Override
        public void onEvent(String name, String data) {
            int position = index++;
            delivery.submit(() -> deliver(name, data, position));
        }

        private void deliver(String name, String data, int position) {
            text.onEvent(name, data);
            if (streamProducer == null || deliveryFailure != null) {
                return;
            }
            Exchange event = streamEndpoint.createExchange();
            event.getIn().setHeaders(new HashMap<>(exchange.getIn().getHeaders()));
            if (name != null) {
                event.getIn().setHeader(CaravanConstants.EVENT_NAME, name);
            }
            event.getIn().setHeader(CaravanConstants.EVENT_INDEX, position);
            GatewayCall call = GatewayCall.of(inner);
            if (call != null) {
                event.getIn().setHeader(CaravanConstants.REQUEST_ID, call.requestId());
            }
            event.getIn().setBody(data);
            try {
                streamProducer.process(event);
            } catch (Exception e) {
                event.setException(e);
            }
            if (event.getException() != null) {
                // The rest of the answer would reach no one: the gateway stops the stream as for a caller who left.
                deliveryFailure = event.getException();
                channel.leave();
            }
        }

        /** The calling exchange gets the answer, or the failure. Never throws. */
        void finish() {
            try {
                answer();
            } catch (Exception e) {
                exchange.setException(e);
            }
        }

        private void answer() throws Exception {
            GatewayCall call = GatewayCall.of(inner);
            String requestId = call == null ? null : call.requestId();
            if (deliveryFailure != null) {
                exchange.setException(deliveryFailure);
                return;
            }
            if (inner.getException() != null) {
                exchange.setException(new CaravanException("Caravan failed request " + requestId + " unexpectedly",
                        500, null, requestId, inner.getException()));
                return;
            }
            int status = channel.streamed() ? call.finalStatus() : channel.status();
            if (status == 0 || status >= 400) {
                String body = channel.streamed() ? channel.lastEventData() : channel.body();
                exchange.setException(CaravanFailures.of(JSON, status == 0 ? 500 : status, body, channel.retryAfter(),
                        inner.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), requestId));
                return;
            }
            Message out = exchange.getMessage();
            if (channel.streamed()) {
                out.setBody(text.text());
                out.setHeader(CaravanConstants.EVENT_COUNT, channel.eventCount());
            } else if (CaravanEndpoint.OUTPUT_MAP.equalsIgnoreCase(endpoint.getOutputType())) {
                out.setBody(JSON.readValue(channel.body(), JSON_OBJECT));
            } else {
                out.setBody(channel.body());
            }
            Lease lease = call.lease();
            if (lease != null) {
                out.setHeader(CaravanConstants.MODEL, lease.credential().spec().upstreamModel(call.model()));
                out.setHeader(CaravanConstants.CREDENTIAL, lease.credential().name());
            }
            TokenCounts usage = call.usage();
            out.setHeader(CaravanConstants.ATTEMPTS, call.attempts());
            out.setHeader(CaravanConstants.INPUT_TOKENS, usage.input());
            out.setHeader(CaravanConstants.OUTPUT_TOKENS, usage.output());
            out.setHeader(CaravanConstants.REQUEST_ID, requestId);
            out.setHeader(CaravanConstants.CLIENT, call.request().client());
        }
    }
}
