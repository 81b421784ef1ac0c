package io.caravan.testing;

import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

/** Camel's properties component with the environment replaced by a map: a test cannot set real variables. */
public final class FakeEnvironment {

    private FakeEnvironment() {
    }

    /** {@code {{env:NAME}}} and {@code {{env:NAME:default}}} resolve from {@code env}. */
    public static PropertiesComponent properties(Map<String, String> env) {
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "env";
            }

            @Override
            public String apply(String remainder) {
                int colon = remainder.indexOf(':');
                String name = colon < 0 ? remainder : remainder.substring(0, colon);
                return env.containsKey(name) ? env.get(name) : colon < 0 ? null : remainder.substring(colon + 1);
            }
        });
        return properties;
    }
}
