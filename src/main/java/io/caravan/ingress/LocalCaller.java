package io.caravan.ingress;

import io.caravan.clients.ClientSpec;
import io.caravan.relay.CallerChannel;

/**
 * A request made by a route of the gateway's own Camel context (the {@code caravan:} component) rather than over
 * HTTP: the exchange property the {@link CallerGate} reads instead of the HTTP message. It has no headers and
 * presents no key; it is answered on its own channel, and is made as a client of the registry or as its own.
 *
 * @param channel where the answer goes
 * @param clientName the registry's client the request is made as (its allow-list, limits and budget apply), or
 *     {@code null} to make it as {@code ownClient}
 * @param ownClient the caller's own client, not in the registry, when {@code clientName} is {@code null}
 */
public record LocalCaller(CallerChannel channel, String clientName, ClientSpec ownClient) {

    /** The exchange property that carries the caller. */
    public static final String PROPERTY = "caravan.local-caller";
}
