package io.caravan.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import io.caravan.CaravanMain;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Rules on the gateway's own classes (everything compiled from {@code src/main/java}, whatever its package), checked
 * on every build: the packages depend on each other one way only, in the order of {@link #LAYERS}, and they are
 * built on the public API of Camel and Vert.x only, so that an upgrade that changes their insides breaks the build
 * instead of the running gateway.
 */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class)
public class ArchitectureTest {

    /**
     * The packages from the top (the application that wires everything) to the bottom (what everything may use).
     * A package may depend on the packages below it, never on one above it or beside it in another layer; README.md's
     * "Architecture" section says what each one is for.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("io.caravan", "io.caravan.wiring"),
            List.of("io.caravan.component"),
            List.of("io.caravan.demo"),
            List.of("io.caravan.routes"),
            List.of("io.caravan.server"),
            List.of("io.caravan.service"),
            List.of("io.caravan.reload"),
            List.of("io.caravan.metrics"),
            List.of("io.caravan.tracing"),
            List.of("io.caravan.ingress"),
            List.of("io.caravan.flow"),
            List.of("io.caravan.reply"),
            List.of("io.caravan.bridge"),
            List.of("io.caravan.exchange"),
            List.of("io.caravan.relay"),
            List.of("io.caravan.conversation"),
            List.of("io.caravan.upstream"),
            List.of("io.caravan.config"),
            List.of("io.caravan.routing"),
            List.of("io.caravan.clients"),
            List.of("io.caravan.usage"),
            List.of("io.caravan.pool"),
            List.of("io.caravan.dialects"),
            List.of("io.caravan.dialect.."),
            List.of("io.caravan.support"));

    /** Every class of ours is in one of the layers, so that no package escapes the rule below. */
    @ArchTest
    static final ArchRule EVERY_PACKAGE_IS_IN_A_LAYER = classes().should().resideInAnyPackage(
            LAYERS.stream().flatMap(List::stream).toArray(String[]::new));

    /** Dependencies point down the layers only. */
    @ArchTest
    static void dependenciesPointDownTheLayers(JavaClasses classes) {
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(0, i).stream().flatMap(List::stream).toArray(String[]::new);
            noClasses().that().resideInAnyPackage(LAYERS.get(i).toArray(String[]::new))
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because("packages depend one way: " + Arrays.toString(LAYERS.get(i).toArray()) + " is below "
                            + Arrays.toString(above))
                    .check(classes);
        }
    }

    /** Within the dialects, the plug-ins use the SPI; the SPI never names a plug-in. */
    @ArchTest
    static final ArchRule THE_DIALECT_SPI_NAMES_NO_PLUG_IN = noClasses().that().resideInAPackage("io.caravan.dialect")
            .should().dependOnClassesThat().resideInAnyPackage("io.caravan.dialect.*..");

    /** No cycles between any two of our packages, the dialect plug-ins included. */
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.caravan.(**)").should().beFreeOfCycles();

    /** No class of ours in another project's package (to reach what that project keeps package-private). */
    @ArchTest
    static final ArchRule OUR_CLASSES_LIVE_IN_OUR_PACKAGES = classes().should().resideInAPackage("io.caravan..")
            .because("a class in another project's package reaches what that project keeps to itself");

    /** Vert.x's implementation packages change without notice (and move in Vert.x 5). */
    @ArchTest
    static final ArchRule NO_VERTX_INTERNALS = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.vertx..impl..", "io.vertx..internal..")
            .because("Vert.x's impl and internal packages are not its API");

    /** Camel's public API includes org.apache.camel.support and org.apache.camel.spi; its impl packages do not. */
    @ArchTest
    static final ArchRule NO_CAMEL_INTERNALS = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.apache.camel..impl..", "org.apache.camel..internal..")
            .because("Camel's impl and internal packages are not its API");

    /** The classes compiled from {@code src/main/java}: the output folder that holds {@link CaravanMain}. */
    static final class MainClasses implements LocationProvider {
        @Override
        public Set<Location> get(Class<?> testClass) {
            try {
                return Set.of(Location.of(CaravanMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
