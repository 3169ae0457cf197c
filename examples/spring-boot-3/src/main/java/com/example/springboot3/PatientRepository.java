package com.example.springboot3;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class PatientRepository {

  private final JdbcClient jdbc;

  public PatientRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void add(String name) {
    jdbc.sql("INSERT INTO patient (name) VALUES (?)").param(name).update();
  }

  public long count() {
    return jdbc.sql("SELECT count(*) FROM patient").query(Long.class).single();
  }
}
