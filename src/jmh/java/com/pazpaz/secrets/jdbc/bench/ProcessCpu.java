package com.pazpaz.secrets.jdbc.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The CPU time this process has used so far, every thread counted (the JIT compilers and the
 * garbage collector too). A fresh JVM on two cores is bound by it: the wall time of a first connect
 * cannot fall below this over the number of cores.
 */
final class ProcessCpu {

  private ProcessCpu() {}

  /** {@code " cpuMs=<ms>"} to append to a RESULT line, or nothing where the OS does not tell. */
  static String resultField() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .map(nanos -> String.format(Locale.ROOT, " cpuMs=%.0f", nanos / 1e6))
        .orElse("");
  }
}
