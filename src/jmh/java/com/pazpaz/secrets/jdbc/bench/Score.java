package com.pazpaz.secrets.jdbc.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.util.ListStatistics;

/** A measured value with its spread: JMH's score and 99.9% error, or a median over repeats. */
record Score(double value, double error, double min, double max, String unit) {

  /**
   * Mean and 99.9% confidence half-width of iteration scores pooled over several JMH runs, as JMH
   * computes them for one run.
   */
  static Score pooled(List<Double> iterations, String unit) {
    ListStatistics statistics = new ListStatistics();
    iterations.forEach(statistics::addValue);
    return new Score(
        statistics.getMean(),
        statistics.getMeanErrorAt(0.999),
        statistics.getMin(),
        statistics.getMax(),
        unit);
  }

  /** Median and min-max of repeated measurements; error is NaN. */
  static Score median(List<Double> samples, String unit) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Score(median, Double.NaN, sorted.get(0), sorted.get(n - 1), unit);
  }

  /** This score over the baseline's, with the relative errors added in quadrature. */
  Ratio over(Score baseline) {
    double ratio = value / baseline.value;
    double relative =
        Math.sqrt(Math.pow(error / value, 2) + Math.pow(baseline.error / baseline.value, 2));
    return new Ratio(ratio, ratio * relative);
  }

  String withError(String format) {
    return String.format(Locale.ROOT, format + " ± " + format + " %s", value, error, unit);
  }

  String withRange(String format) {
    return String.format(
        Locale.ROOT, format + " %s (" + format + "–" + format + ")", value, unit, min, max);
  }

  /** A ratio and its error. */
  record Ratio(double value, double error) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.3f ± %.3f", value, error);
    }
  }
}
