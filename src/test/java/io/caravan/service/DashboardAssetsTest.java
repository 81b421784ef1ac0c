package io.caravan.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which class-path file a raw request path names. Over HTTP, with the escapes and dot segments a router would
 * normalize, see {@code io.caravan.e2e.DashboardAssetsEndToEndTest}.
 */
class DashboardAssetsTest {

    private final DashboardAssets assets = new DashboardAssets();

    @Test
    void thePageAndItsFilesAreUnderUiAndTheLibraryUnderTheWebJarsVersionedRoot() {
        assertEquals(Optional.of("ui/index.html"), assets.resourceName("/ui"));
        assertEquals(Optional.of("ui/index.html"), assets.resourceName("/ui/"));
        assertEquals(Optional.of("ui/app.js"), assets.resourceName("/ui/app.js"));
        String library = assets.resourceName("/ui/lib/dist/chart.umd.js").orElseThrow();
        assertTrue(library.matches("META-INF/resources/webjars/chart\\.js/4\\.[0-9.]+/dist/chart\\.umd\\.js"), library);
    }

    @Test
    void anythingButPlainSegmentsWithAKnownExtensionNamesNothing() {
        for (String path : new String[] {"/ui/../x.js", "/ui/lib/../../x.js", "/ui/%2e%2e/x.js", "/ui/lib/dist%2Fx.js",
            "/ui//x.js", "/ui/./x.js", "/ui/.x.js", "/ui/x", "/ui/x.properties", "/ui/x.class", "/ui/lib/",
            "/ui/lib/x.json", "/uix.js", "/x.js", "/ui/x.js/", "/ui/x.js?y", "/ui/a b.js", "/ui/\u00e9.js", ""}) {
            assertEquals(Optional.empty(), assets.resourceName(path), path);
        }
        assertEquals(Optional.empty(), assets.resourceName(null));
    }

    @Test
    void withoutTheWebJarTheDashboardCannotStart() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new DashboardAssets(empty));
            assertTrue(missing.getMessage().contains("org.webjars.npm:chart.js"), missing.getMessage());
        }
    }
}
