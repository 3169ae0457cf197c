package com.pazpaz.secrets.jdbc.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import com.pazpaz.secrets.jdbc.micrometer.PazPazSecretsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Real Spring Boot 4 start-ups (no web server, no data source auto-configuration on this class
 * path): what our {@code spring.factories} and auto-configuration entries do to an application. The
 * examples {@code spring-boot} and {@code spring-boot-3} start whole applications.
 */
class SpringBootIntegrationTest {

  private static final String DRIVER = PazPazSecretsDriver.class.getName();
  private static String loggingSystem;

  @BeforeAll
  static void keepBootAwayFromJdkLogging() {
    // Boot would reconfigure java.util.logging, which the other tests in this JVM capture.
    loggingSystem = System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
  }

  @AfterAll
  static void restoreLogging() {
    if (loggingSystem == null) {
      System.clearProperty("org.springframework.boot.logging.LoggingSystem");
    } else {
      System.setProperty("org.springframework.boot.logging.LoggingSystem", loggingSystem);
    }
  }

  @Test
  void namesOurDriverClassForOurUrlAtTheLowestPrecedence() {
    try (ConfigurableApplicationContext context =
        start(Plain.class, "--spring.datasource.url=jdbc:pazpaz-secrets:app/db")) {
      assertEquals(
          DRIVER, context.getEnvironment().getProperty(DriverClassDefault.DRIVER_CLASS_NAME));
      List<String> sources = names(context);
      // After every source of configuration; only Boot's own application info may follow.
      List<String> after =
          sources.subList(sources.indexOf(DriverClassDefault.PROPERTY_SOURCE) + 1, sources.size());
      assertTrue(Set.of("applicationInfo", "defaultProperties").containsAll(after), "" + sources);
      assertEquals(
          1,
          sources.stream().filter(DriverClassDefault.PROPERTY_SOURCE::equals).count(),
          "Boot 4 runs both post-processors; the second adds nothing");
    }
  }

  @Test
  void leavesADriverClassTheApplicationSetAndOtherUrlsAlone() {
    try (ConfigurableApplicationContext context =
        start(
            Plain.class,
            "--spring.datasource.url=jdbc:pazpaz-secrets:app/db",
            "--spring.datasource.driverClassName=com.example.WrappingDriver")) {
      assertEquals(
          "com.example.WrappingDriver",
          context.getEnvironment().getProperty(DriverClassDefault.DRIVER_CLASS_NAME));
      assertTrue(!names(context).contains(DriverClassDefault.PROPERTY_SOURCE));
    }
    try (ConfigurableApplicationContext context =
        start(Plain.class, "--spring.datasource.url=jdbc:postgresql://localhost/app")) {
      assertNull(context.getEnvironment().getProperty(DriverClassDefault.DRIVER_CLASS_NAME));
    }
  }

  @Test
  void readsTheUrlFromAnEnvironmentVariableAsBootDoes() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("SPRING_DATASOURCE_URL", "jdbc:pazpaz-secrets:app/db")));

    new Boot3DriverClassPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication());

    assertEquals(DRIVER, environment.getProperty(DriverClassDefault.DRIVER_CLASS_NAME));
  }

  @Test
  void bindsTheMetersWhereThereIsAMeterRegistry() {
    try (ConfigurableApplicationContext context = start(WithMeterRegistry.class)) {
      assertEquals(1, context.getBeansOfType(PazPazSecretsMetrics.class).size());
    }
    try (ConfigurableApplicationContext context = start(Plain.class)) {
      assertEquals(0, context.getBeansOfType(PazPazSecretsMetrics.class).size());
    }
  }

  private static ConfigurableApplicationContext start(Class<?> configuration, String... args) {
    SpringApplication application = new SpringApplication(configuration);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setRegisterShutdownHook(false);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    return application.run(args);
  }

  private static List<String> names(ConfigurableApplicationContext context) {
    return StreamSupport.stream(context.getEnvironment().getPropertySources().spliterator(), false)
        .map(PropertySource::getName)
        .toList();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Plain {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithMeterRegistry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
