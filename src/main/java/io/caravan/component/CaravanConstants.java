package io.caravan.component;

import org.apache.camel.spi.Metadata;

/** The message headers a {@code caravan:} endpoint sets on its answers and on each streamed event. */
public final class CaravanConstants {

    @Metadata(label = "producer", description = "The model that served the answer: the upstream's name for it,"
            + " as the credential that served it maps the requested one.", javaType = "String")
    public static final String MODEL = "CaravanModel";
    @Metadata(label = "producer", description = "The name of the pool credential that served the answer (never"
            + " its key).", javaType = "String")
    public static final String CREDENTIAL = "CaravanCredential";
    @Metadata(label = "producer", description = "How many upstream attempts the answer took: more than one when"
            + " the pool rotated to another credential.", javaType = "int")
    public static final String ATTEMPTS = "CaravanAttempts";
    @Metadata(label = "producer", description = "The input tokens the answer cost, as its upstream reported"
            + " them.", javaType = "long")
    public static final String INPUT_TOKENS = "CaravanInputTokens";
    @Metadata(label = "producer", description = "The output tokens the answer cost, as its upstream reported"
            + " them.", javaType = "long")
    public static final String OUTPUT_TOKENS = "CaravanOutputTokens";
    @Metadata(label = "producer", description = "The gateway's id of the request, as its access-log line and"
            + " usage record name it; also on each streamed event.", javaType = "String")
    public static final String REQUEST_ID = "CaravanRequestId";
    @Metadata(label = "producer", description = "The client the request was made as: the endpoint's client"
            + " option, or the calling route's own client.", javaType = "String")
    public static final String CLIENT = "CaravanClient";
    @Metadata(label = "producer", description = "How many events a streamed answer had (only on streamed"
            + " answers).", javaType = "int")
    public static final String EVENT_COUNT = "CaravanEventCount";
    @Metadata(label = "producer", description = "On each exchange sent to streamTo: the event's SSE name,"
            + " absent for an event without one (Chat Completions, Gemini).", javaType = "String")
    public static final String EVENT_NAME = "CaravanEventName";
    @Metadata(label = "producer", description = "On each exchange sent to streamTo: the event's position in"
            + " the stream, from 0.", javaType = "int")
    public static final String EVENT_INDEX = "CaravanEventIndex";

    private CaravanConstants() {
    }
}
