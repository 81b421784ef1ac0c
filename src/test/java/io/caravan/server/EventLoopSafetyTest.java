package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which routes may run on an event loop. */
class EventLoopSafetyTest {

    private static final EventLoopSafety SAFETY = new EventLoopSafety(Set.of());

    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in-memory").routeId("in-memory")
                        .setHeader("a", constant("b")).removeHeaders("Camel*")
                        .choice().when(header("a").isEqualTo("b")).log("yes").otherwise().setBody(constant("no")).end();
                from("direct:calls-out").routeId("calls-out").setHeader("a", constant("b")).to("mock:audit");
                from("direct:nested-call").routeId("nested-call")
                        .filter(header("a").isNotNull()).to("mock:audit").end();
                from("direct:declared").routeId("declared").routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                        .process(exchange -> { });
                from("direct:declared-blocking").routeId("declared-blocking")
                        .routeProperty(EventLoopSafety.NEVER_BLOCKS, "false").log("looks harmless");
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void routesThatOnlyTouchTheMessageMayRunOnTheEventLoop() {
        assertTrue(SAFETY.neverBlocks(context, "in-memory"));
    }

    @Test
    void aStepThatMayCallOutAnywhereInTheRouteSendsItToAWorker() {
        assertFalse(SAFETY.neverBlocks(context, "calls-out"));
        assertFalse(SAFETY.neverBlocks(context, "nested-call"));
    }

    @Test
    void theRoutePropertyOverridesTheInspection() {
        assertTrue(SAFETY.neverBlocks(context, "declared"));
        assertFalse(SAFETY.neverBlocks(context, "declared-blocking"));
        assertFalse(SAFETY.neverBlocks(context, "no-such-route"));
    }

    @Test
    void aRouteNamedInTheBlockingSettingRunsOnAWorker() {
        EventLoopSafety configured = new EventLoopSafety(Set.of("other", "in-memory"));
        assertFalse(configured.neverBlocks(context, "in-memory"));
        assertTrue(configured.neverBlocks(context, "declared"));
    }

    @Test
    void routesAreFoundByTheirEndpointWhateverItsSpellingAndOptions() {
        assertEquals(List.of("calls-out"), EventLoopSafety.routesFrom(context, "direct://calls-out?block=false").stream()
                .map(RouteDefinition::getRouteId).toList());
    }

    @Test
    void theShippedExampleHooksRunOnTheEventLoop() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/hooks.camel.yaml"));
        assertTrue(SAFETY.neverBlocks(context, "example-before-upstream"));
        assertTrue(SAFETY.neverBlocks(context, "example-after-response"));
    }
}
