package io.caravan.server;

import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ConvertBodyDefinition;
import org.apache.camel.model.ConvertHeaderDefinition;
import org.apache.camel.model.FilterDefinition;
import org.apache.camel.model.LogDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.PropertyDefinition;
import org.apache.camel.model.RemoveHeaderDefinition;
import org.apache.camel.model.RemoveHeadersDefinition;
import org.apache.camel.model.RemovePropertiesDefinition;
import org.apache.camel.model.RemovePropertyDefinition;
import org.apache.camel.model.RemoveVariableDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetBodyDefinition;
import org.apache.camel.model.SetHeaderDefinition;
import org.apache.camel.model.SetHeadersDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.SetVariableDefinition;
import org.apache.camel.model.SetVariablesDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.TransformDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.support.EndpointHelper;

/**
 * Decides whether a route may run on an event loop, where blocking would stall every connection of that loop.
 *
 * <p>A route may if it says so with the route property {@value #NEVER_BLOCKS} (the gateway's own routes do: their
 * steps that may wait move to a worker thread themselves), or if every step is one that only works on the message
 * in memory: setting or removing headers, properties, variables or the body, converting, logging, and choice or
 * filter around such steps. Any other step (to, bean, process, delay, ...) may call out or wait, so the route runs
 * on a worker thread. Expressions are trusted: a header set from a bean call that blocks is the one case this does
 * not see. Such a route is named in {@value #BLOCKING_ROUTES} (YAML routes cannot carry route properties), or
 * declares {@code caravan.never-blocks=false} in Java.
 */
public final class EventLoopSafety {

    /** Route property: {@code true} or {@code false} overrides the inspection of the route's steps. */
    public static final String NEVER_BLOCKS = "caravan.never-blocks";

    /** Setting: ids of routes that must run on a worker thread whatever their steps look like, comma-separated. */
    public static final String BLOCKING_ROUTES = "caravan.routes.blocking";

    private static final Set<Class<?>> IN_MEMORY_STEPS = Set.of(
            SetHeaderDefinition.class, SetHeadersDefinition.class, SetPropertyDefinition.class,
            SetVariableDefinition.class, SetVariablesDefinition.class, SetBodyDefinition.class,
            TransformDefinition.class, ConvertBodyDefinition.class, ConvertHeaderDefinition.class,
            RemoveHeaderDefinition.class, RemoveHeadersDefinition.class, RemovePropertyDefinition.class,
            RemovePropertiesDefinition.class, RemoveVariableDefinition.class, LogDefinition.class,
            ChoiceDefinition.class, WhenDefinition.class, OtherwiseDefinition.class, FilterDefinition.class,
            StopDefinition.class);

    private final Set<String> blockingRoutes;

    /** @param blockingRoutes ids of routes kept on a worker whatever their steps ({@value #BLOCKING_ROUTES}) */
    public EventLoopSafety(Set<String> blockingRoutes) {
        this.blockingRoutes = Set.copyOf(blockingRoutes);
    }

    /** Whether the route with this id never blocks; false when its definition cannot be found. */
    public boolean neverBlocks(CamelContext context, String routeId) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        return route != null && neverBlocks(context, route);
    }

    /** The routes consuming from an endpoint, compared without the URIs' options ({@code direct://x} is {@code direct:x}). */
    public static List<RouteDefinition> routesFrom(CamelContext context, String endpointUri) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return List.of();
        }
        String endpoint = withoutOptions(endpointUri);
        return model.getRouteDefinitions().stream()
                .filter(r -> r.getInput() != null && r.getInput().getEndpointUri() != null
                        && EndpointHelper.matchEndpoint(context, withoutOptions(r.getInput().getEndpointUri()), endpoint))
                .toList();
    }

    public boolean neverBlocks(CamelContext context, RouteDefinition route) {
        if (blockingRoutes.contains(route.getRouteId())) {
            return false;
        }
        if (route.getRouteProperties() != null) {
            for (PropertyDefinition property : route.getRouteProperties()) {
                if (NEVER_BLOCKS.equals(property.getKey())) {
                    return Boolean.parseBoolean(property.getValue());
                }
            }
        }
        return inMemoryOnly(route.getOutputs());
    }

    private static String withoutOptions(String uri) {
        int options = uri.indexOf('?');
        return options < 0 ? uri : uri.substring(0, options);
    }

    private static boolean inMemoryOnly(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> step : steps) {
            if (!IN_MEMORY_STEPS.contains(step.getClass()) || !inMemoryOnly(step.getOutputs())) {
                return false;
            }
        }
        return true;
    }
}
