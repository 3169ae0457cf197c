package com.pazpaz.secrets.jdbc.spring;

import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Names our driver class for Spring Boot's {@code DataSource} when {@code spring.datasource.url} is
 * ours and no driver class is set. Boot guesses the driver class from a fixed list of URL prefixes
 * and never asks {@code DriverManager}, so without this it refuses to start ("Failed to determine a
 * suitable driver class"). The value sits in a property source of its own, added last: every other
 * source, a user's {@code driver-class-name} among them, wins over it. Idempotent.
 */
final class DriverClassDefault {

  static final String PROPERTY_SOURCE = "pazpazSecretsDriverClass";
  static final String URL = "spring.datasource.url";
  static final String DRIVER_CLASS_NAME = "spring.datasource.driver-class-name";

  private DriverClassDefault() {}

  static void apply(ConfigurableEnvironment environment) {
    MutablePropertySources sources = environment.getPropertySources();
    if (sources.contains(PROPERTY_SOURCE)) {
      return;
    }
    // The Binder applies Boot's relaxed names: SPRING_DATASOURCE_URL, driverClassName, ...
    Binder binder = Binder.get(environment);
    String url = binder.bind(URL, String.class).orElse("");
    String driverClass = binder.bind(DRIVER_CLASS_NAME, String.class).orElse("");
    if (url.startsWith(PazPazSecretsDriver.URL_PREFIX) && driverClass.isBlank()) {
      sources.addLast(
          new MapPropertySource(
              PROPERTY_SOURCE, Map.of(DRIVER_CLASS_NAME, PazPazSecretsDriver.class.getName())));
    }
  }
}
