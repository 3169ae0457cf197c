package com.example.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class ClinicApplicationTest {

  // Started before the application context, which connects at start-up to run Flyway, and left
  // running: the context lives until the JVM exits, and its pool keeps opening connections.
  private static EmbeddedDeployment deployment;

  @Autowired private DataSource dataSource;
  @Autowired private JdbcClient jdbc;
  @Autowired private PatientRepository patients;

  @BeforeAll
  static void startServers() {
    deployment = EmbeddedDeployment.start().useInThisJvm();
  }

  @Test
  void connectsWithTheSecretAndMigratesWithFlyway() {
    assertEquals(
        EmbeddedDeployment.ROLE, jdbc.sql("SELECT current_user").query(String.class).single());
    assertEquals(
        1,
        jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")
            .query(Integer.class)
            .single());
    long before = patients.count();
    patients.add("Ada");
    assertEquals(before + 1, patients.count());
  }

  @Test
  void keepsWorkingThroughAPasswordRotation() {
    HikariDataSource pool = assertInstanceOf(HikariDataSource.class, dataSource);
    patients.add("before the rotation");
    int reads = deployment.secretsManager().calls("GetSecretValue");

    deployment.rotatePassword();
    // New connections now log in with the cached, stale password: the driver re-reads the secret.
    pool.getHikariPoolMXBean().softEvictConnections();

    for (int i = 0; i < 20; i++) {
      long before = patients.count();
      patients.add("after the rotation " + i);
      assertEquals(before + 1, patients.count());
    }
    assertTrue(
        deployment.secretsManager().calls("GetSecretValue") > reads,
        "the driver re-read the secret");
  }
}
