package com.pazpaz.secrets.jdbc.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot 3: the same as {@link DriverClassPostProcessor}, through Boot 3's interface, which
 * Boot 4 deprecated for removal (Boot 4 still calls it; then it finds the driver class already set
 * and does nothing).
 */
@SuppressWarnings("removal")
public final class Boot3DriverClassPostProcessor
    implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    DriverClassDefault.apply(environment);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
