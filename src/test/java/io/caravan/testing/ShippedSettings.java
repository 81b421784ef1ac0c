package io.caravan.testing;

import io.caravan.config.CaravanSettings;
import io.caravan.config.SettingsBinder;
import io.caravan.dialect.TranslationSettings;
import io.caravan.usage.StoreSettings;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The settings the jar ships, bound the way a started gateway binds them, for tests that build a part of the gateway
 * without booting it: a default is written once, in {@code caravan-defaults.properties}, and tests read it from there.
 */
public final class ShippedSettings {

    private static final CaravanSettings SHIPPED = bind();

    private ShippedSettings() {
    }

    public static TranslationSettings translation() {
        return SHIPPED.getTranslation().translationSettings();
    }

    /** The usage store's shipped settings, at {@code url} (a test database), without user or password. */
    public static StoreSettings store(String url) {
        CaravanSettings shipped = bind();
        shipped.getStore().setUrl(url);
        return shipped.getStore().storeSettings();
    }

    private static CaravanSettings bind() {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:" + SettingsBinder.DEFAULTS_RESOURCE);
            return SettingsBinder.bind(context);
        } catch (Exception e) {
            throw new IllegalStateException("the jar's default settings do not bind", e);
        }
    }
}
