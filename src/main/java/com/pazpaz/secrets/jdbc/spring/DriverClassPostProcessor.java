package com.pazpaz.secrets.jdbc.spring;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot 4 and later: sets {@code spring.datasource.driver-class-name} to our driver when
 * {@code spring.datasource.url} is a {@code jdbc:pazpaz-secrets:} URL and no driver class is set
 * (see {@link DriverClassDefault}). Registered in {@code META-INF/spring.factories}; runs last,
 * after the application's configuration files are loaded.
 */
public final class DriverClassPostProcessor implements EnvironmentPostProcessor, Ordered {

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
