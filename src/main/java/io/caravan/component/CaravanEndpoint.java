package io.caravan.component;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Calls the gateway from a route of the same Camel context: the message body is a request of the API's dialect (a
 * JSON string or bytes, a {@code Map}, or a plain string taken as one user message), the answer comes back as the
 * body, served from the same pool with the same rotation, cooldowns, client limits and usage metering as a request
 * over HTTP.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "caravan", title = "Caravan", syntax = "caravan:api",
        producerOnly = true, category = {Category.AI}, headersClass = CaravanConstants.class)
public class CaravanEndpoint extends DefaultEndpoint {

    /** The body of an answer: the JSON as a string. */
    public static final String OUTPUT_STRING = "String";
    /** The body of an answer: the JSON parsed into a {@code Map}. */
    public static final String OUTPUT_MAP = "Map";

    @UriPath(enums = "chat,messages,responses,embeddings,gemini",
            description = "The API called, in whose dialect the request and the answer are: chat (OpenAI Chat"
                    + " Completions), messages (Anthropic Messages), responses (OpenAI Responses), embeddings (OpenAI"
                    + " Embeddings), gemini (Gemini generateContent; streamGenerateContent when streamed)")
    @Metadata(required = true)
    private CaravanApi api;

    @UriParam(description = "The model asked for when the request names none (a plain string names none); for"
            + " gemini, whose requests never name one, the model always")
    private String model;

    @UriParam(description = "The client of the clients file (or made through the admin API) the request is made"
            + " as: its model allow-list, limits and budget apply and its usage is recorded under its name. Without"
            + " it the request is made as the calling route's own client, named route. and the route id (route.tickets"
            + " for the route tickets), which may use every"
            + " model, has no limits, and has its usage recorded under that name")
    private String client;

    @UriParam(description = "An endpoint URI that gets each event of a streamed answer as an exchange of its own,"
            + " in order (body: the event's JSON data; headers CaravanEventName, CaravanEventIndex, CaravanRequestId,"
            + " and the calling exchange's headers). Setting it streams the request; the calling exchange then"
            + " completes once every event was delivered, with the answer's text as its body")
    private String streamTo;

    @UriParam(defaultValue = OUTPUT_STRING, enums = OUTPUT_STRING + "," + OUTPUT_MAP,
            description = "The type of a whole answer's body: its JSON as a String, or parsed into a Map")
    private String outputType = OUTPUT_STRING;

    @UriParam(defaultValue = "1024", description = "The max_tokens of a messages request made from a plain string"
            + " (the Messages API requires one)")
    private int maxTokens = 1024;

    public CaravanEndpoint(String uri, CaravanComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() throws Exception {
        if (streamTo != null && !api.streamable()) {
            throw new IllegalArgumentException("caravan:" + api.name().toLowerCase(java.util.Locale.ROOT)
                    + " answers cannot be streamed: remove streamTo");
        }
        return new CaravanProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan: endpoints only call the gateway (use them in to())");
    }

    @Override
    public CaravanComponent getComponent() {
        return (CaravanComponent) super.getComponent();
    }

    public CaravanApi getApi() {
        return api;
    }

    public void setApi(CaravanApi api) {
        this.api = api;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getClient() {
        return client;
    }

    public void setClient(String client) {
        this.client = client;
    }

    public String getStreamTo() {
        return streamTo;
    }

    public void setStreamTo(String streamTo) {
        this.streamTo = streamTo;
    }

    public String getOutputType() {
        return outputType;
    }

    public void setOutputType(String outputType) {
        if (!OUTPUT_STRING.equalsIgnoreCase(outputType) && !OUTPUT_MAP.equalsIgnoreCase(outputType)) {
            throw new IllegalArgumentException("outputType is String or Map, not '" + outputType + "'");
        }
        this.outputType = outputType;
    }

    public int getMaxTokens() {
        return maxTokens;
    }

    public void setMaxTokens(int maxTokens) {
        this.maxTokens = maxTokens;
    }
}
