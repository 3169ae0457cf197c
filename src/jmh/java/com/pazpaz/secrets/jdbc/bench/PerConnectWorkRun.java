package com.pazpaz.secrets.jdbc.bench;

import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PerConnectWorkBenchmark} with JMH's GC profiler and prints one {@code RESULT} line
 * per benchmark: the time and the bytes allocated per connect. Needs no servers.
 *
 * <p>Arguments: forks, warmup iterations, warmup seconds, measurement iterations, measurement
 * seconds, JSON result file.
 */
public final class PerConnectWorkRun {

  private PerConnectWorkRun() {}

  public static void main(String[] args) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(PerConnectWorkBenchmark.class.getName() + "\\.")
            .forks(Integer.parseInt(args[0]))
            .warmupIterations(Integer.parseInt(args[1]))
            .warmupTime(TimeValue.seconds(Long.parseLong(args[2])))
            .measurementIterations(Integer.parseInt(args[3]))
            .measurementTime(TimeValue.seconds(Long.parseLong(args[4])))
            .threads(1)
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
            .result(args[5])
            .build();
    for (RunResult run : new Runner(options).run()) {
      Result<?> time = run.getPrimaryResult();
      Result<?> allocated = run.getSecondaryResults().get("gc.alloc.rate.norm");
      String benchmark = run.getParams().getBenchmark();
      System.out.println(
          String.format(
              Locale.ROOT,
              "RESULT benchmark=%s score=%.3f error=%.3f unit=%s bytesPerOp=%.0f",
              benchmark.substring(benchmark.lastIndexOf('.') + 1),
              time.getScore(),
              time.getScoreError(),
              time.getScoreUnit(),
              allocated == null ? Double.NaN : allocated.getScore()));
    }
  }
}
