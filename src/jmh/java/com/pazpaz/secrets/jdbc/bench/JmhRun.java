package com.pazpaz.secrets.jdbc.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ConnectBenchmark} for one contender and prints, for {@link BenchMain}, one {@code
 * ITER} line per measurement iteration and one {@code RESULT} line (JMH's own summary) per
 * benchmark. This JVM is started on the contender's class path; JMH's fork inherits it and the
 * {@code bench.*} system properties.
 *
 * <p>Arguments: forks, warmup iterations, warmup seconds, measurement iterations, measurement
 * seconds, JSON result file.
 */
public final class JmhRun {

  private JmhRun() {}

  public static void main(String[] args) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(ConnectBenchmark.class.getName() + "\\.")
            .forks(Integer.parseInt(args[0]))
            .warmupIterations(Integer.parseInt(args[1]))
            .warmupTime(TimeValue.seconds(Long.parseLong(args[2])))
            .measurementIterations(Integer.parseInt(args[3]))
            .measurementTime(TimeValue.seconds(Long.parseLong(args[4])))
            .threads(1)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(args[5])
            .build();
    Collection<RunResult> results = new Runner(options).run();
    for (RunResult run : results) {
      Result<?> primary = run.getPrimaryResult();
      String benchmark = run.getParams().getBenchmark();
      String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      for (BenchmarkResult fork : run.getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "ITER benchmark=%s score=%.6f unit=%s",
                  name,
                  iteration.getPrimaryResult().getScore(),
                  iteration.getPrimaryResult().getScoreUnit()));
        }
      }
      System.out.println(
          String.format(
              Locale.ROOT,
              "RESULT benchmark=%s score=%.6f error=%.6f unit=%s min=%.6f max=%.6f n=%d",
              name,
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit(),
              primary.getStatistics().getMin(),
              primary.getStatistics().getMax(),
              primary.getStatistics().getN()));
    }
  }
}
