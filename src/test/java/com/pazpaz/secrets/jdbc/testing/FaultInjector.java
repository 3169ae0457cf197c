package com.pazpaz.secrets.jdbc.testing;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * What goes wrong on purpose in the local Secrets Manager: faults for the next requests or for all,
 * secrets and operations a caller may not use, and a delay before every answer. It decides; the
 * protocol carries the decision out on the wire. Thread-safe.
 */
final class FaultInjector {

  private final Object lock = new Object();
  private final Set<String> deniedSecrets = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> deniedOperations = new ConcurrentHashMap<>();
  private Fault alwaysFault;
  private Fault nextFault;
  private int nextFaultsLeft;
  private CountDownLatch hangRelease = new CountDownLatch(1);
  private volatile Duration latency = Duration.ZERO;

  /** A fault taken by one request, with the latch that releases it if it is {@code HANG}. */
  record Armed(Fault fault, CountDownLatch release) {}

  void failNext(int count, Fault fault) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    Objects.requireNonNull(fault, "fault");
    synchronized (lock) {
      nextFault = fault;
      nextFaultsLeft = count;
    }
  }

  void failAlways(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    synchronized (lock) {
      alwaysFault = fault;
    }
  }

  /** Cancels pending faults and releases hung requests. */
  void clearFaults() {
    synchronized (lock) {
      alwaysFault = null;
      nextFault = null;
      nextFaultsLeft = 0;
      releaseHungRequests();
      hangRelease = new CountDownLatch(1);
    }
  }

  /** Lets hung requests go on, for good: on close. */
  void releaseHungRequests() {
    synchronized (lock) {
      hangRelease.countDown();
    }
  }

  /** The fault this request gets, or null; takes one of {@link #failNext}'s. */
  Armed take() {
    synchronized (lock) {
      if (alwaysFault != null) {
        return new Armed(alwaysFault, hangRelease);
      }
      if (nextFaultsLeft == 0) {
        return null;
      }
      nextFaultsLeft--;
      return new Armed(nextFault, hangRelease);
    }
  }

  void deny(String secret) {
    deniedSecrets.add(secret);
  }

  void denyOperations(String secret, String... operations) {
    deniedOperations
        .computeIfAbsent(secret, k -> ConcurrentHashMap.newKeySet())
        .addAll(List.of(operations));
  }

  void allow(String secret) {
    deniedSecrets.remove(secret);
    deniedOperations.remove(secret);
  }

  boolean isDenied(String secret, String operation) {
    return secret != null
        && (deniedSecrets.contains(secret)
            || deniedOperations.getOrDefault(secret, Set.of()).contains(operation));
  }

  void setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
  }

  /** Waits the configured latency. */
  void delay() throws InterruptedException {
    Duration delay = latency;
    if (!delay.isZero()) {
      Thread.sleep(delay.toMillis());
    }
  }
}
