package com.example.springboot3;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PatientController {

  private final PatientRepository patients;

  public PatientController(PatientRepository patients) {
    this.patients = patients;
  }

  @GetMapping("/patients/count")
  public Map<String, Long> count() {
    return Map.of("count", patients.count());
  }

  @PostMapping("/patients")
  public Map<String, Long> add(@RequestParam String name) {
    patients.add(name);
    return count();
  }
}
