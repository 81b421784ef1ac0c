package io.caravan.routes;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerRequest;
import io.caravan.ingress.ModelActionPath;
import io.caravan.server.EventLoopSafety;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * The ingress of every registered dialect: one route per endpoint a dialect declares, admitted by the endpoint's
 * gate and sent on by its operation. A chat goes to the upstream dispatch; token counting is a plain
 * request/response, forwarded to a credential of the caller's dialect, or estimated locally for a model only
 * credentials of other dialects serve; embeddings go to a credential of the caller's dialect.
 *
 * <p>Endpoints whose path names the model and an action ({@code /v1beta/models/{model}:generateContent}) share one
 * route per path prefix, which reads the model and the action and sends the request to its endpoint's route.
 */
public class DialectRoutes extends RouteBuilder {

    private static final String POST_ONLY = "?httpMethodRestrict=POST";
    private static final String ENDPOINT_ROUTE = "direct:";

    @Override
    public void configure() {
        Map<String, List<Endpoint>> byPrefix = new LinkedHashMap<>();
        for (Dialect dialect : Dialects.all()) {
            for (Endpoint endpoint : dialect.endpoints()) {
                if (endpoint.namesModelInPath()) {
                    byPrefix.computeIfAbsent(endpoint.pathPrefix(), prefix -> new java.util.ArrayList<>()).add(endpoint);
                    endpointRoute(from(ENDPOINT_ROUTE + endpoint.routeId()), endpoint);
                } else {
                    endpointRoute(from(Beans.HTTP + ":" + endpoint.path() + POST_ONLY), endpoint);
                }
            }
        }
        byPrefix.forEach(this::modelActionRoute);
    }

    private void endpointRoute(RouteDefinition from, Endpoint endpoint) {
        RouteDefinition route = from.routeId(endpoint.routeId()).routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .process(endpoint.gateBean());
        switch (endpoint.operation()) {
            case CHAT -> route.to(UpstreamRoutes.DISPATCH);
            case COUNT_TOKENS -> route.choice()
                    .when(method(Beans.LOCAL_TOKEN_COUNT, "onlyEstimable"))
                        .bean(Beans.LOCAL_TOKEN_COUNT, "estimate")
                    .otherwise()
                        .to(UpstreamRoutes.UNARY);
            case EMBED -> route.to(UpstreamRoutes.UNARY);
        }
    }

    /** The route of one path prefix whose endpoints name their model: by the action, to the endpoint's route. */
    private void modelActionRoute(String prefix, List<Endpoint> endpoints) {
        ChoiceDefinition byAction = from(Beans.HTTP + ":" + prefix + "{" + ModelActionPath.SEGMENT + "}" + POST_ONLY)
                .routeId("model-actions" + prefix.replace('/', '-').replaceAll("-+$", ""))
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .process(Beans.MODEL_ACTION_PATH)
                .choice();
        for (Endpoint endpoint : endpoints) {
            byAction.when(exchangeProperty(CallerRequest.PATH_ACTION).isEqualTo(endpoint.action()))
                    .to(ENDPOINT_ROUTE + endpoint.routeId());
        }
        byAction.otherwise().bean(Beans.SERVICE_ENDPOINTS, "unknownModelAction");
    }
}
