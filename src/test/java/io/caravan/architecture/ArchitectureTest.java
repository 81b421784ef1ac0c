package io.caravan.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import io.caravan.CaravanMain;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * Rules on the gateway's own classes (everything compiled from {@code src/main/java}, whatever its package), checked
 * on every build: they are built on the public API of Camel and Vert.x only, so that an upgrade that changes their
 * insides breaks the build instead of the running gateway.
 */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class)
public class ArchitectureTest {

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
