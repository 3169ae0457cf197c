package com.pazpaz.secrets.jdbc.spring;

import com.pazpaz.secrets.jdbc.micrometer.PazPazSecretsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Publishes the driver's {@code pazpaz.secrets.*} meters in every Spring Boot application that has
 * Micrometer and a {@link MeterRegistry} (Actuator): Boot binds each {@code MeterBinder} bean to
 * its registries. Ordered after Boot's metrics auto-configuration, by name for Boot 3 and Boot 4
 * (whose classes moved); a missing name is ignored.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class PazPazSecretsMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public PazPazSecretsMetrics pazPazSecretsMetrics() {
    return new PazPazSecretsMetrics();
  }
}
