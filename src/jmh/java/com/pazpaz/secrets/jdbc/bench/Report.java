package com.pazpaz.secrets.jdbc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Collects what {@link BenchMain} measured and renders it as Markdown: issue 5's table (one row per
 * figure, one column per contender, the target and whether we meet it), then the details behind
 * each row.
 */
final class Report {

  private static final double WARM_TARGET = 1.02;
  private static final double COLD_TARGET_OVER_PGJDBC_MS = 150;
  private static final double WORK_TARGET_US = 20;
  private static final String WARM = "warmConnect";
  private static final String ROUND_TRIP = "statementRoundTrip";
  private static final String PG_CONNECTION = "org.postgresql.jdbc.PgConnection";

  private final List<Contender> columns;
  private final Contender ours;
  private final Contender secretsManagerJdbc;
  private final Contender awsWrapper;
  private final Contender pgjdbc;
  private final Contender dropIn;
  private final String[] jmh;
  private final int jmhRounds;
  private final int coldRepeats;
  private final String startedAt =
      ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

  private final Map<Contender, Map<String, Score>> jmhScores = new HashMap<>();
  private final Map<Contender, Map<String, Map<String, String>>> pairedResults = new HashMap<>();
  private final Map<Contender, Map<String, Integer>> warmCalls = new HashMap<>();
  private final Map<Contender, Score> coldConnect = new HashMap<>();
  private final Map<Contender, Score> coldWall = new HashMap<>();
  private final Map<Contender, Score> coldCpu = new HashMap<>();
  private final Map<Contender, Score> coldAppCds = new java.util.LinkedHashMap<>();
  private @Nullable Score sdkAloneConnect;
  private @Nullable Score sdkAloneCpu;
  private final Map<Contender, Long> classes = new HashMap<>();
  private final Map<Contender, String> connectionClass = new HashMap<>();
  private final Map<Contender, Map<String, String>> herd = new HashMap<>();
  private final Map<Contender, Map<String, Integer>> herdCalls = new HashMap<>();
  private final Map<Contender, List<String>> herdFailures = new HashMap<>();
  private final Map<Contender, Map<String, String>> wrong = new HashMap<>();
  private final Map<Contender, Map<String, Integer>> wrongCalls = new HashMap<>();
  private final Map<Contender, List<String>> wrongStates = new HashMap<>();
  private final Map<Contender, List<String>> wrongFailures = new HashMap<>();
  private final Map<Contender, Map<String, String>> rotation = new HashMap<>();
  private final Map<Contender, Map<String, Integer>> rotationCalls = new HashMap<>();
  private final Map<Contender, List<String>> rotationPhases = new HashMap<>();
  private final Map<Contender, List<String>> rotationStates = new HashMap<>();
  private final Map<Contender, List<String>> rotationFailures = new HashMap<>();
  private final Map<Contender, long[]> trees = new HashMap<>();
  private final Map<Contender, Map<String, String>> window = new HashMap<>();
  private final Map<Contender, Map<String, Integer>> windowCalls = new HashMap<>();
  private final Map<Contender, List<String>> windowFailures = new HashMap<>();
  private final Map<String, Map<String, String>> work = new java.util.LinkedHashMap<>();
  private final Map<Contender, Map<String, Map<String, String>>> memory = new HashMap<>();
  private final Map<String, List<Double>> coldSteps = new java.util.LinkedHashMap<>();
  private Path dropInJar;
  private String pairedShape = "not run";
  private String loadAtStart = "?";
  private String loadAtEnd = "?";
  private Duration took = Duration.ZERO;

  /**
   * @param columns ours, the two peers, plain pgjdbc, in that order
   */
  Report(List<Contender> columns, Contender dropIn, String[] jmh, int jmhRounds, int coldRepeats) {
    this.columns = columns;
    this.ours = columns.get(0);
    this.secretsManagerJdbc = columns.get(1);
    this.awsWrapper = columns.get(2);
    this.pgjdbc = columns.get(3);
    this.dropIn = dropIn;
    this.jmh = jmh;
    this.jmhRounds = jmhRounds;
    this.coldRepeats = coldRepeats;
  }

  void machineAtStart(String loadAverage) {
    loadAtStart = loadAverage;
  }

  void finished(Duration took, String loadAverage) {
    this.took = took;
    this.loadAtEnd = loadAverage;
  }

  void jmh(Contender contender, String benchmark, Score score) {
    jmhScores.computeIfAbsent(contender, c -> new HashMap<>()).put(benchmark, score);
  }

  void pairedShape(int rounds, int connectPairs, int statementPairs) {
    pairedShape =
        rounds
            + " rounds of "
            + connectPairs
            + " connect pairs and "
            + statementPairs
            + " statement pairs, after one warm-up round";
  }

  void paired(Contender contender, String benchmark, Map<String, String> result) {
    pairedResults.computeIfAbsent(contender, c -> new HashMap<>()).put(benchmark, result);
  }

  private Map<String, String> paired(Contender contender, String benchmark) {
    Map<String, Map<String, String>> results = pairedResults.get(contender);
    return results == null ? null : results.get(benchmark);
  }

  void warmCalls(Contender contender, Map<String, Integer> calls) {
    warmCalls.put(contender, calls);
  }

  void cold(Contender contender, Score connect, Score wall, @Nullable Score cpu) {
    coldConnect.put(contender, connect);
    coldWall.put(contender, wall);
    if (cpu != null) {
      coldCpu.put(contender, cpu);
    }
  }

  void coldWithAppCds(Contender contender, Score connect) {
    coldAppCds.put(contender, connect);
  }

  void sdkAlone(Score connect, @Nullable Score cpu) {
    sdkAloneConnect = connect;
    sdkAloneCpu = cpu;
  }

  void perConnectWork(Map<String, String> result) {
    work.put(result.get("benchmark"), result);
  }

  void coldTimeline(Map<String, String> steps) {
    steps.forEach(
        (step, ms) ->
            coldSteps.computeIfAbsent(step, s -> new ArrayList<>()).add(Double.parseDouble(ms)));
  }

  void memory(Contender contender, Map<String, String> result) {
    memory.computeIfAbsent(contender, c -> new HashMap<>()).put(result.get("what"), result);
  }

  void classesLoaded(Contender contender, long count) {
    classes.put(contender, count);
  }

  void connectionClass(Contender contender, String className) {
    connectionClass.put(contender, className);
  }

  void herd(
      Contender contender,
      Map<String, String> result,
      Map<String, Integer> calls,
      List<String> failures) {
    herd.put(contender, result);
    herdCalls.put(contender, calls);
    herdFailures.put(contender, failures);
  }

  void wrongPassword(
      Contender contender,
      Map<String, String> result,
      Map<String, Integer> calls,
      List<String> sqlStates,
      List<String> failures) {
    wrong.put(contender, result);
    wrongCalls.put(contender, calls);
    wrongStates.put(contender, sqlStates);
    wrongFailures.put(contender, failures);
  }

  void rotation(
      Contender contender,
      Map<String, String> result,
      Map<String, Integer> calls,
      List<String> phases,
      List<String> sqlStates,
      List<String> failures) {
    rotation.put(contender, result);
    rotationCalls.put(contender, calls);
    rotationPhases.put(contender, phases);
    rotationStates.put(contender, sqlStates);
    rotationFailures.put(contender, failures);
  }

  void heldWindow(
      Contender contender,
      Map<String, String> result,
      Map<String, Integer> calls,
      List<String> failures) {
    window.put(contender, result);
    windowCalls.put(contender, calls);
    windowFailures.put(contender, failures);
  }

  void dropInJar(Path jar) {
    dropInJar = jar;
  }

  void runtimeTree(Contender contender, int jars, long bytes) {
    trees.put(contender, new long[] {jars, bytes});
  }

  // ---- Rendering ----

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("## Results\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Run of %s, %d s. Machine: %d cores, %s memory, Java %s (%s). Load average (1, 5, 15"
                + " min) at start %s, at end %s.%n%n",
            startedAt,
            took.toSeconds(),
            Runtime.getRuntime().availableProcessors(),
            memTotal(),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            loadAtStart,
            loadAtEnd));
    out.append(
        String.format(
            Locale.ROOT,
            "Ratios to plain pgjdbc: each contender and plain pgjdbc in one JVM, call by call"
                + " (%s); the median of the per-round ratios (min–max over the rounds). Absolute"
                + " times: JMH, %d runs per contender in alternating order, each %s fork(s) of %s"
                + " warmup iterations of %s s and %s measurement iterations of %s s, 1 thread, the"
                + " iterations of all runs pooled; ± is the 99.9%% confidence half-width as JMH"
                + " computes it. Cold connect: %d fresh JVMs per contender, median (min–max).%n%n",
            pairedShape,
            jmhRounds,
            jmh[0],
            jmh[1],
            jmh[2],
            jmh[3],
            jmh[4],
            coldRepeats));
    summary(out);
    details(out);
    return out.toString();
  }

  private void summary(StringBuilder out) {
    out.append("| figure | target |");
    for (Contender column : columns) {
      out.append(' ').append(column.name()).append(" |");
    }
    out.append(" met? |\n|---|---|");
    out.append("---|".repeat(columns.size()));
    out.append("---|\n");

    row(
        out,
        "warm connect (cache hit), ratio to plain pgjdbc",
        "≤ 1.02, below aws-secretsmanager-jdbc",
        c -> ratioCell(c, WARM, "%.2f"),
        warmVerdict());
    row(
        out,
        "the driver's own work per warm connect, without the login (JMH, -prof gc)",
        "< 20 µs",
        c -> c == ours ? workCell() : "–",
        workVerdict());
    row(
        out,
        "cold first connect in a fresh JVM, SDK start-up included: median (min–max)",
        "≤ plain pgjdbc + 150 ms, below both peers",
        c -> coldConnect.containsKey(c) ? coldCell(c) : "–",
        coldVerdict());
    row(
        out,
        "Secrets Manager API calls for " + "64 concurrent first connects",
        "1",
        c -> herdCalls.containsKey(c) ? herdCell(c) : "–",
        herdVerdict());
    row(
        out,
        "200 connects with a wrong password: API calls / wall time",
        "≤ 1 per second; below both peers",
        c -> wrongCalls.containsKey(c) ? wrongCell(c) : "–",
        wrongVerdict());
    row(
        out,
        "failed connects (logins) during a single-user rotation under pool load",
        "0",
        c -> rotation.containsKey(c) ? rotationCell(c) : "–",
        rotationVerdict());
    row(
        out,
        "held rotation window (4 s, 4 threads connecting per request): refused logins in"
            + " PostgreSQL's log / failed connects / API calls since the database change",
        "≤ 1 refused login per thread",
        c -> window.containsKey(c) ? windowCell(c) : "–",
        windowVerdict());
    row(
        out,
        "runtime dependencies, pgjdbc excluded (ours: the drop-in jar)",
        "below both peers",
        this::sizeCell,
        sizeVerdict());
    row(
        out,
        "classes loaded by a JVM that makes one connect (over plain pgjdbc)",
        "below both peers",
        this::classesCell,
        classesVerdict());
    row(
        out,
        "statement round trip on the returned connection, ratio to plain pgjdbc",
        "1.00 (no proxy)",
        c -> ratioCell(c, ROUND_TRIP, "%.0f"),
        roundTripVerdict());
    out.append('\n');
  }

  private void row(
      StringBuilder out,
      String figure,
      String target,
      Function<Contender, String> cell,
      String verdict) {
    out.append("| ").append(figure).append(" | ").append(target).append(" |");
    for (Contender column : columns) {
      out.append(' ').append(cell.apply(column)).append(" |");
    }
    out.append(' ').append(verdict).append(" |\n");
  }

  // ---- Cells ----

  /**
   * The paired ratio to plain pgjdbc (median of the rounds, min–max) when measured, then JMH's
   * absolute time; JMH's ratio when only JMH ran.
   */
  private String ratioCell(Contender contender, String benchmark, String absoluteFormat) {
    Map<String, String> pairedResult = paired(contender, benchmark);
    Score score = score(contender, benchmark);
    Score baseline = score(pgjdbc, benchmark);
    String absolute = score == null ? null : "JMH " + score.withError(absoluteFormat);
    if (pairedResult != null) {
      String ratio = pairedRatio(pairedResult);
      if (contender == pgjdbc) {
        ratio = "control " + ratio;
      }
      return absolute == null ? ratio : ratio + "; " + absolute;
    }
    if (score == null || baseline == null) {
      return "–";
    }
    return contender == pgjdbc
        ? "1 (" + absolute + ")"
        : "JMH ratio " + score.over(baseline) + " (" + absolute + ")";
  }

  private static String pairedRatio(Map<String, String> result) {
    return String.format(
        Locale.ROOT,
        "%.3f (%.3f–%.3f)",
        Double.parseDouble(result.get("ratio")),
        Double.parseDouble(result.get("min")),
        Double.parseDouble(result.get("max")));
  }

  private String herdCell(Contender contender) {
    Map<String, String> result = herd.get(contender);
    String cell = Integer.toString(herdCalls.get(contender).get("total"));
    if (!"0".equals(result.get("failed"))) {
      cell += " (" + result.get("failed") + " connects failed)";
    }
    return cell;
  }

  private String wrongCell(Contender contender) {
    return String.format(
        Locale.ROOT,
        "%d / %.1f s",
        wrongCalls.get(contender).get("total"),
        Double.parseDouble(wrong.get(contender).get("seconds")));
  }

  private String rotationCell(Contender contender) {
    Map<String, String> result = rotation.get(contender);
    long failed = Long.parseLong(result.get("failedLogins"));
    long attempts = failed + Long.parseLong(result.get("logins"));
    String cell = failed + " of " + attempts;
    if (!"0".equals(result.get("failedBorrows"))) {
      cell += "; " + result.get("failedBorrows") + " failed borrows";
    }
    return cell + " (longest borrow " + result.get("longestBorrowMs") + " ms)";
  }

  private String windowCell(Contender contender) {
    Map<String, String> result = window.get(contender);
    long refused =
        Long.parseLong(result.get("windowRefused")) + Long.parseLong(result.get("afterRefused"));
    long failed =
        Long.parseLong(result.get("windowFailedConnects"))
            + Long.parseLong(result.get("afterFailedConnects"));
    long connects =
        failed
            + Long.parseLong(result.get("windowConnects"))
            + Long.parseLong(result.get("afterConnects"));
    return refused
        + " / "
        + failed
        + " of "
        + connects
        + " / "
        + windowCalls.get(contender).get("sinceDatabaseChange");
  }

  private String windowVerdict() {
    if (!window.containsKey(ours)) {
      return "not run";
    }
    Map<String, String> result = window.get(ours);
    long refused =
        Long.parseLong(result.get("windowRefused")) + Long.parseLong(result.get("afterRefused"));
    boolean noFailure =
        "0".equals(result.get("windowFailedConnects"))
            && "0".equals(result.get("afterFailedConnects"));
    return refused <= Long.parseLong(result.get("threads")) && noFailure ? "yes" : "**no**";
  }

  private String sizeCell(Contender contender) {
    if (contender == pgjdbc) {
      return "0";
    }
    if (contender == ours && dropInJar != null) {
      return mib(size(dropInJar)) + " (1 jar)";
    }
    long[] tree = trees.get(contender);
    return tree == null ? "–" : mib(tree[1]) + " (" + tree[0] + " jars)";
  }

  private String classesCell(Contender contender) {
    Long count = classes.get(contender);
    Long baseline = classes.get(pgjdbc);
    if (count == null) {
      return "–";
    }
    if (contender == pgjdbc || baseline == null) {
      return String.format(Locale.ROOT, "%,d", count);
    }
    return String.format(Locale.ROOT, "%,d (+%,d)", count, count - baseline);
  }

  private static String memoryCell(Map<String, Map<String, String>> results, String what) {
    Map<String, String> result = results.get(what);
    return result == null ? "–" : result.get("kib") + " KiB";
  }

  private static String threadsCell(Map<String, Map<String, String>> results, String what) {
    Map<String, String> result = results.get(what);
    return result == null ? "–" : result.get("names").replace(",", ", ");
  }

  private String workCell() {
    Map<String, String> cached = work.get("perConnect");
    if (cached == null) {
      return "–";
    }
    Map<String, String> uncached = work.get("uncachedSettings");
    return String.format(
            Locale.ROOT,
            "%.2f ± %.2f µs, %s B",
            Double.parseDouble(cached.get("score")),
            Double.parseDouble(cached.get("error")),
            cached.get("bytesPerOp"))
        + (uncached == null
            ? ""
            : String.format(
                Locale.ROOT,
                " (settings parsed per connect: %.2f µs, %s B)",
                Double.parseDouble(uncached.get("score")),
                uncached.get("bytesPerOp")));
  }

  private static String rangeOrDash(@Nullable Score score) {
    return score == null ? "–" : score.withRange("%.0f");
  }

  private String coldCell(Contender contender) {
    String cell = coldConnect.get(contender).withRange("%.0f");
    if (contender == pgjdbc || !coldConnect.containsKey(pgjdbc)) {
      return cell;
    }
    return cell
        + String.format(
            Locale.ROOT,
            "; +%.0f ms",
            coldConnect.get(contender).value() - coldConnect.get(pgjdbc).value());
  }

  // ---- Verdicts ----

  private String workVerdict() {
    Map<String, String> cached = work.get("perConnect");
    if (cached == null) {
      return "not run";
    }
    return Double.parseDouble(cached.get("score")) < WORK_TARGET_US ? "yes" : "**no**";
  }

  private String warmVerdict() {
    Map<String, String> pairedResult = paired(ours, WARM);
    if (pairedResult != null) {
      double ratio = Double.parseDouble(pairedResult.get("ratio"));
      double min = Double.parseDouble(pairedResult.get("min"));
      Map<String, String> peer = paired(secretsManagerJdbc, WARM);
      boolean belowPeer = peer == null || ratio < Double.parseDouble(peer.get("ratio"));
      if (ratio <= WARM_TARGET && belowPeer) {
        return "yes";
      }
      if (ratio <= WARM_TARGET) {
        return "**no**: within 1.02, but not below aws-secretsmanager-jdbc";
      }
      return min <= WARM_TARGET ? "**no** at the median; some rounds within the target" : "**no**";
    }
    Score score = score(ours, WARM);
    Score baseline = score(pgjdbc, WARM);
    if (score == null || baseline == null) {
      return "not run";
    }
    Score.Ratio ratio = score.over(baseline);
    if (ratio.value() <= WARM_TARGET) {
      return "yes";
    }
    return ratio.value() - ratio.error() <= WARM_TARGET
        ? "no at the point estimate; within the error"
        : "**no**";
  }

  private String coldVerdict() {
    if (!coldConnect.containsKey(ours)) {
      return "not run";
    }
    double mine = coldConnect.get(ours).value();
    boolean belowPeers =
        mine < coldConnect.get(secretsManagerJdbc).value()
            && mine < coldConnect.get(awsWrapper).value();
    boolean nearPgjdbc = mine - coldConnect.get(pgjdbc).value() <= COLD_TARGET_OVER_PGJDBC_MS;
    if (belowPeers && nearPgjdbc) {
      return "yes";
    }
    Score sdkAlone = sdkAloneConnect;
    String floor = "";
    if (sdkAlone != null) {
      boolean sdkOverBudget =
          sdkAlone.value() > coldConnect.get(pgjdbc).value() + COLD_TARGET_OVER_PGJDBC_MS;
      floor =
          String.format(
              Locale.ROOT,
              " (the AWS SDK alone takes %.0f ms%s)",
              sdkAlone.value(),
              sdkOverBudget ? ", more than pgjdbc + 150 ms by itself" : "");
    }
    return (belowPeers ? "**no**: below both peers, more than 150 ms over pgjdbc" : "**no**")
        + floor;
  }

  private String herdVerdict() {
    if (!herdCalls.containsKey(ours)) {
      return "not run";
    }
    return herdCalls.get(ours).get("total") == 1 && "0".equals(herd.get(ours).get("failed"))
        ? "yes"
        : "**no**";
  }

  private String wrongVerdict() {
    if (!wrongCalls.containsKey(ours)) {
      return "not run";
    }
    int calls = wrongCalls.get(ours).get("total");
    double seconds = Double.parseDouble(wrong.get(ours).get("seconds"));
    long bound = wrongBound(seconds);
    List<String> misses = new ArrayList<>();
    if (calls > bound) {
      misses.add(calls + " calls > bound " + bound);
    }
    for (Contender peer : List.of(secretsManagerJdbc, awsWrapper)) {
      if (calls >= wrongCalls.get(peer).get("total")) {
        misses.add("calls not below " + peer.name());
      }
      if (seconds >= Double.parseDouble(wrong.get(peer).get("seconds"))) {
        misses.add("wall time not below " + peer.name());
      }
    }
    return misses.isEmpty()
        ? "yes (bound " + bound + " calls)"
        : "**no**: " + String.join("; ", misses);
  }

  /** The first read, then one forced read per second, the first with its AWSPENDING read. */
  static long wrongBound(double seconds) {
    return 1 + 2 + (long) Math.floor(seconds);
  }

  private String rotationVerdict() {
    if (!rotation.containsKey(ours)) {
      return "not run";
    }
    Map<String, String> result = rotation.get(ours);
    return "0".equals(result.get("failedLogins")) && "0".equals(result.get("failedBorrows"))
        ? "yes"
        : "**no**";
  }

  private String sizeVerdict() {
    long mine =
        dropInJar != null ? size(dropInJar) : trees.containsKey(ours) ? trees.get(ours)[1] : -1;
    if (mine < 0 || !trees.containsKey(secretsManagerJdbc)) {
      return "not run";
    }
    return mine < trees.get(secretsManagerJdbc)[1] && mine < trees.get(awsWrapper)[1]
        ? "yes"
        : "**no**";
  }

  private String classesVerdict() {
    if (!classes.containsKey(ours)) {
      return "not run";
    }
    long mine = classes.get(ours);
    return mine < classes.get(secretsManagerJdbc) && mine < classes.get(awsWrapper)
        ? "yes"
        : "**no**";
  }

  private String roundTripVerdict() {
    String type = connectionClass.get(ours);
    boolean pgjdbcOwn = type == null || PG_CONNECTION.equals(type);
    String named = type == null ? "" : " (" + simpleName(type) + ")";
    Map<String, String> pairedResult = paired(ours, ROUND_TRIP);
    if (pairedResult != null) {
      return pgjdbcOwn && Double.parseDouble(pairedResult.get("ratio")) <= WARM_TARGET
          ? "yes" + named
          : "**no**" + named;
    }
    Score score = score(ours, ROUND_TRIP);
    Score baseline = score(pgjdbc, ROUND_TRIP);
    if (score == null || baseline == null) {
      return "not run";
    }
    Score.Ratio ratio = score.over(baseline);
    boolean sameSpeed =
        ratio.value() <= WARM_TARGET || Math.abs(ratio.value() - 1) <= ratio.error();
    return sameSpeed && pgjdbcOwn ? "yes" + named : "**no**" + named;
  }

  // ---- Details ----

  private void details(StringBuilder out) {
    out.append("### Details\n\n");
    if (!work.isEmpty()) {
      out.append(
          "The driver's own per-connect work without the login (`PerConnectWorkBenchmark`, JMH"
              + " with `-prof gc`, no servers): ");
      work.forEach(
          (benchmark, result) ->
              out.append('`')
                  .append(benchmark)
                  .append("` ")
                  .append(result.get("score"))
                  .append(" ± ")
                  .append(result.get("error"))
                  .append(' ')
                  .append(result.get("unit"))
                  .append(", ")
                  .append(result.get("bytesPerOp"))
                  .append(" B allocated per op; "));
      out.append("\n\n");
    }
    if (!coldSteps.isEmpty()) {
      out.append(
          "Our first connect step by step, one after the other (`ColdTimeline`, fresh JVMs, ms,"
              + " median (min–max)):\n\n| step | ms |\n|---|---|\n");
      coldSteps.forEach(
          (step, values) ->
              out.append("| ")
                  .append(step)
                  .append(" | ")
                  .append(Score.median(values, "ms").withRange("%.1f"))
                  .append(" |\n"));
      out.append('\n');
    }
    if (!memory.isEmpty()) {
      out.append(
          "Heap in use after a full GC (serial GC) over the same JVM before the first connect,"
              + " connections closed, and the threads left beside the JVM's own:\n\n");
      out.append(
          "| contender | 1 secret cached | 100 secrets cached | threads when idle | threads after"
              + " deregisterDriver |\n|---|---|---|---|---|\n");
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper, pgjdbc)) {
        Map<String, Map<String, String>> results = memory.get(contender);
        if (results == null) {
          continue;
        }
        out.append("| ")
            .append(contender.name())
            .append(" | ")
            .append(memoryCell(results, "heapAfter1"))
            .append(" | ")
            .append(memoryCell(results, "heapAfter100"))
            .append(" | ")
            .append(threadsCell(results, "idleThreads"))
            .append(" | ")
            .append(threadsCell(results, "threadsAfterDeregister"))
            .append(" |\n");
      }
      out.append('\n');
    }
    if (!pairedResults.isEmpty()) {
      out.append(
          "Paired with plain pgjdbc in one JVM, call by call (ABBA), same role, server and TLS"
              + " settings; per round the ratio of the two medians; median of the rounds"
              + " (min–max), and the medians' medians:\n\n");
      out.append(
          "| contender | warm connect ratio | µs vs pgjdbc's µs | round trip ratio | µs vs"
              + " pgjdbc's µs |\n");
      out.append("|---|---|---|---|---|\n");
      for (Contender contender : List.of(pgjdbc, ours, secretsManagerJdbc, awsWrapper)) {
        Map<String, String> connect = paired(contender, WARM);
        Map<String, String> statement = paired(contender, ROUND_TRIP);
        if (connect == null || statement == null) {
          continue;
        }
        out.append("| ")
            .append(
                contender == pgjdbc ? "plain pgjdbc (control: against itself)" : contender.name())
            .append(" | ")
            .append(pairedRatio(connect))
            .append(" | ")
            .append(connect.get("contenderUs"))
            .append(" vs ")
            .append(connect.get("baselineUs"))
            .append(" | ")
            .append(pairedRatio(statement))
            .append(" | ")
            .append(statement.get("contenderUs"))
            .append(" vs ")
            .append(statement.get("baselineUs"))
            .append(" |\n");
      }
      out.append('\n');
    }
    if (!jmhScores.isEmpty()) {
      out.append("JMH scores (mean ± error, min–max of the pooled iterations):\n\n");
      out.append(
          "| contender | warm connect | statement round trip | connection class | API calls in the"
              + " whole JMH run |\n");
      out.append("|---|---|---|---|---|\n");
      for (Contender contender : List.of(pgjdbc, ours, secretsManagerJdbc, awsWrapper)) {
        out.append("| ")
            .append(contender.name())
            .append(" | ")
            .append(jmhDetail(contender, WARM, "%.3f"))
            .append(" | ")
            .append(jmhDetail(contender, ROUND_TRIP, "%.1f"))
            .append(" | ")
            .append(connectionClass.getOrDefault(contender, "–"))
            .append(" | ")
            .append(warmCalls.containsKey(contender) ? warmCalls.get(contender).toString() : "–")
            .append(" |\n");
      }
      out.append('\n');
    }
    if (!coldConnect.isEmpty()) {
      out.append(
          "Fresh JVMs (median, min–max): `main` to open connection; CPU time the process had"
              + " used by then, all threads (JIT and GC too); whole process (JVM start to exit);"
              + " classes loaded (`-Xlog:class+load`, one run):\n\n");
      out.append("| contender | first connect | CPU by then | whole process | classes loaded |\n");
      out.append("|---|---|---|---|---|\n");
      List<Contender> rows = new ArrayList<>(List.of(pgjdbc, ours));
      if (dropIn != null) {
        rows.add(dropIn);
      }
      rows.addAll(List.of(secretsManagerJdbc, awsWrapper));
      for (Contender contender : rows) {
        if (!coldConnect.containsKey(contender)) {
          continue;
        }
        out.append("| ")
            .append(contender.name())
            .append(" | ")
            .append(coldConnect.get(contender).withRange("%.0f"))
            .append(" | ")
            .append(rangeOrDash(coldCpu.get(contender)))
            .append(" | ")
            .append(coldWall.get(contender).withRange("%.0f"))
            .append(" | ")
            .append(classesCell(contender))
            .append(" |\n");
      }
      if (sdkAloneConnect != null) {
        out.append("| the AWS SDK alone: client build and first `GetSecretValue`, no login | ")
            .append(sdkAloneConnect.withRange("%.0f"))
            .append(" | ")
            .append(rangeOrDash(sdkAloneCpu))
            .append(" | – | – |\n");
      }
      coldAppCds.forEach(
          (contender, connect) ->
              out.append("| ")
                  .append(contender.name())
                  .append(", with an AppCDS archive of a training run | ")
                  .append(connect.withRange("%.0f"))
                  .append(" | – | – | – |\n"));
      out.append('\n');
    }
    if (!herd.isEmpty()) {
      out.append("64 concurrent first connects (fresh JVM, threads released by a barrier):\n\n");
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper)) {
        if (!herd.containsKey(contender)) {
          continue;
        }
        Map<String, String> result = herd.get(contender);
        out.append("- ")
            .append(contender.name())
            .append(": ")
            .append(result.get("opened"))
            .append(" opened, ")
            .append(result.get("failed"))
            .append(" failed, ")
            .append(result.get("seconds"))
            .append(" s; calls ")
            .append(herdCalls.get(contender))
            .append(failures(herdFailures.get(contender)))
            .append('\n');
      }
      out.append('\n');
    }
    if (!wrong.isEmpty()) {
      out.append(
          "200 connects with a wrong password (8 threads × 25 connects, 100 ms pause after each;"
              + " the secret's password is one PostgreSQL rejects and it stays so):\n\n");
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper)) {
        if (!wrong.containsKey(contender)) {
          continue;
        }
        Map<String, String> result = wrong.get(contender);
        double seconds = Double.parseDouble(result.get("seconds"));
        int total = wrongCalls.get(contender).get("total");
        out.append(
            String.format(
                Locale.ROOT,
                "- %s: %s of %s failed in %.1f s (SQLStates %s); calls %s = %.1f per second%s;"
                    + " password in an exception: %s%s%n",
                contender.name(),
                result.get("failed"),
                result.get("connects"),
                seconds,
                wrongStates.get(contender),
                wrongCalls.get(contender),
                total / seconds,
                contender == ours ? " (bound " + wrongBound(seconds) + ")" : "",
                "0".equals(result.get("leaked")) ? "no" : result.get("leaked") + " times",
                failures(wrongFailures.get(contender))));
      }
      out.append('\n');
    }
    if (!rotation.isEmpty()) {
      out.append(
          "Single-user rotation in AWS's order (createSecret, setSecret, testSecret, finishSecret)"
              + " under a HikariCP pool of 6 busy threads, connections soft-evicted every 25 ms,"
              + " connectionTimeout 15 s:\n\n");
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper)) {
        if (!rotation.containsKey(contender)) {
          continue;
        }
        Map<String, String> result = rotation.get(contender);
        out.append("- ")
            .append(contender.name())
            .append(": ")
            .append(result.get("logins"))
            .append(" logins, ")
            .append(result.get("failedLogins"))
            .append(" failed logins ")
            .append(rotationStates.get(contender))
            .append(", ")
            .append(result.get("borrows"))
            .append(" borrows, ")
            .append(result.get("failedBorrows"))
            .append(" failed borrows, longest borrow ")
            .append(result.get("longestBorrowMs"))
            .append(" ms; calls ")
            .append(rotationCalls.get(contender))
            .append(failures(rotationFailures.get(contender)))
            .append('\n');
        for (String phase : rotationPhases.get(contender)) {
          out.append("  - ").append(phase).append('\n');
        }
      }
      out.append('\n');
    }
    if (!window.isEmpty()) {
      out.append(
          "Rotation window held open (database changed, AWSCURRENT still old), 4 threads that"
              + " connect, run SELECT 1 and close without pause; then the promotion and 3 s more."
              + " Refused logins counted from PostgreSQL's own log (password authentication"
              + " failed for the role):\n\n");
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper)) {
        Map<String, String> result = window.get(contender);
        if (result == null) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "- %s: window (%s s): %s connects, %s failed, %s refused logins; after the"
                    + " promotion (3 s): %s connects, %s failed, %s refused logins; calls %s%s%n",
                contender.name(),
                result.get("windowSeconds"),
                result.get("windowConnects"),
                result.get("windowFailedConnects"),
                result.get("windowRefused"),
                result.get("afterConnects"),
                result.get("afterFailedConnects"),
                result.get("afterRefused"),
                windowCalls.get(contender),
                failures(windowFailures.get(contender))));
      }
      out.append('\n');
    }
    if (!trees.isEmpty()) {
      out.append("Runtime class paths (pgjdbc and its checker-qual excluded):\n\n");
      if (dropInJar != null) {
        out.append("- pazpaz-secrets-jdbc drop-in jar: ")
            .append(mib(size(dropInJar)))
            .append(" (")
            .append(dropInJar.getFileName())
            .append(")\n");
      }
      for (Contender contender : List.of(ours, secretsManagerJdbc, awsWrapper)) {
        long[] tree = trees.get(contender);
        if (tree != null) {
          out.append("- ")
              .append(contender.name())
              .append(contender == ours ? " as Maven dependencies (unshaded)" : "")
              .append(": ")
              .append(tree[0])
              .append(" jars, ")
              .append(mib(tree[1]))
              .append('\n');
        }
      }
      out.append('\n');
    }
  }

  private String jmhDetail(Contender contender, String benchmark, String format) {
    Score score = score(contender, benchmark);
    if (score == null) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        format + " ± " + format + " %s (" + format + "–" + format + ")",
        score.value(),
        score.error(),
        score.unit(),
        score.min(),
        score.max());
  }

  private static String failures(List<String> failures) {
    if (failures == null || failures.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("; e.g. ");
    for (int i = 0; i < failures.size(); i++) {
      text.append(i == 0 ? "" : " / ")
          .append('`')
          .append(failures.get(i).replace('|', '/'))
          .append('`');
    }
    return text.toString();
  }

  private Score score(Contender contender, String benchmark) {
    Map<String, Score> scores = jmhScores.get(contender);
    return scores == null ? null : scores.get(benchmark);
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: leave it out.
    }
    return "?";
  }
}
