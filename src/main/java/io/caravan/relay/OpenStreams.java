package io.caravan.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The streams being relayed to callers now, so that a shutdown can end each one still open after the drain with an
 * in-band error instead of cutting its connection. A stream leaves the set when it ends, however it ends.
 */
public final class OpenStreams {

    private final Set<SseRelay> relays = ConcurrentHashMap.newKeySet();

    /** Registers the stream of an exchange until the exchange is done. */
    public void register(Exchange exchange, SseRelay relay) {
        relays.add(relay);
        // On completion rather than on the stream's end: a stream that never started never ends.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                relays.remove(relay);
            }
        });
    }

    public int size() {
        return relays.size();
    }

    /** Ends every open stream with an in-band error in its caller's dialect. */
    public void failAll(int status, String message) {
        for (SseRelay relay : relays) {
            relay.failInBand(status, message);
        }
    }
}
