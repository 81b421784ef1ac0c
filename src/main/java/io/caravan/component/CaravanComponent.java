package io.caravan.component;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code caravan:} component: routes of the gateway's Camel context call the gateway's pool through it (see
 * {@link CaravanEndpoint}). Its threads hand streamed events on and complete the calling exchanges, so that the
 * gateway's event loops never run a caller's route.
 */
@Component("caravan")
public class CaravanComponent extends DefaultComponent {

    @Metadata(description = "The client every endpoint's requests are made as unless the endpoint names its own"
            + " (see the endpoint's client option)")
    private String client;

    private ExecutorService executor;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CaravanEndpoint endpoint = new CaravanEndpoint(uri, this);
        endpoint.setApi(getCamelContext().getTypeConverter().mandatoryConvertTo(CaravanApi.class, remaining));
        endpoint.setClient(client);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getCamelContext().getExecutorServiceManager().newDefaultThreadPool(this, "caravan");
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    /** The component's threads. */
    ExecutorService executor() {
        return executor;
    }

    public String getClient() {
        return client;
    }

    public void setClient(String client) {
        this.client = client;
    }
}
