package com.pazpaz.secrets.jdbc.bench;

import com.pazpaz.secrets.jdbc.bench.Contender.Kind;
import com.pazpaz.secrets.jdbc.bench.Contender.Servers;
import com.pazpaz.secrets.jdbc.bench.Contender.Target;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.PostgresServerLog;
import com.pazpaz.secrets.jdbc.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * {@code mvn -Pbench}: issue 5's comparison in one run. Starts one embedded PostgreSQL 17 (TLS,
 * SCRAM) and one local Secrets Manager, then measures plain pgjdbc, this driver and the two peers
 * against them, each contender in JVMs of its own that hold only its runtime class path (so no AWS
 * SDK or Jackson version is shared or mediated). Prints the table and writes it, with the details,
 * to {@code target/bench/results.md}.
 *
 * <p>System properties (the bench profile sets the paths):
 *
 * <ul>
 *   <li>{@code bench.dir}: output folder; holds {@code classpath/*.txt} written by the profile
 *   <li>{@code bench.classes}, {@code bench.testClasses}: this build's classes and bench classes
 *   <li>{@code bench.dropInJarDir}: where to look for {@code pazpaz-secrets-jdbc-*-all.jar}
 *   <li>{@code bench.parts}: comma list of {@code
 *       work,paired,warm,cold,herd,wrong,rotation,window,memory,size}, or {@code hold} (default all
 *       but hold)
 *   <li>{@code bench.jmh}: forks, warmup iterations, warmup seconds, iterations, iteration seconds
 *       of each JMH run (default {@code 1,3,1,5,1})
 *   <li>{@code bench.jmhRounds}: JMH runs per contender, in alternating order, iterations pooled
 *       (default 2)
 *   <li>{@code bench.coldRepeats}: fresh JVMs per contender for the cold connect (default 7)
 * </ul>
 */
public final class BenchMain {

  private static final String DATABASE = "clinic";
  private static final int HERD = 64;
  private static final int WRONG_THREADS = 8;
  private static final int WRONG_PER_THREAD = 25;
  private static final int WRONG_PAUSE_MILLIS = 100;
  private static final int POOL_SIZE = 6;
  private static final int WINDOW_THREADS = 4;
  private static final Duration WINDOW = Duration.ofSeconds(4);
  private static final int MEMORY_SECRETS = 100;
  private static final int PAIRED_ROUNDS = 7;
  private static final int PAIRED_CONNECTS = 100;
  private static final int PAIRED_STATEMENTS = 5000;
  private static final List<String> OPERATIONS =
      List.of("GetSecretValue", "DescribeSecret", "ListSecretVersionIds");

  private final Path dir;
  private final Path logs;
  private final Path testClasses;
  private final Set<String> parts;
  private final String[] jmh;
  private final int jmhRounds;
  private final int coldRepeats;
  private final TestPostgres postgres;
  private final LocalSecretsManager secretsManager;
  private final Servers servers;
  private final List<Path> jmhClassPath;
  private final List<Path> poolClassPath;
  private final Contender pgjdbc;
  private final Contender pazpaz;
  private final Contender dropIn;
  private final Contender secretsManagerJdbc;
  private final Contender awsWrapper;
  private final Report report;
  private final SecureRandom random = new SecureRandom();
  private long longestBorrow;

  private BenchMain() throws IOException {
    dir = Path.of(required("bench.dir")).toAbsolutePath();
    logs = Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    testClasses = Path.of(required("bench.testClasses")).toAbsolutePath();
    parts =
        Set.of(
            System.getProperty(
                    "bench.parts", "work,paired,warm,cold,herd,wrong,rotation,window,memory,size")
                .split(","));
    jmh = System.getProperty("bench.jmh", "1,3,1,5,1").split(",");
    jmhRounds = Integer.parseInt(System.getProperty("bench.jmhRounds", "2"));
    coldRepeats = Integer.parseInt(System.getProperty("bench.coldRepeats", "7"));

    List<Path> ourRuntime = readClassPath("pazpaz");
    Path pgjdbcJar =
        ourRuntime.stream()
            .filter(p -> p.toString().contains("/org/postgresql/postgresql/"))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("pgjdbc is not in our runtime class path"));
    pgjdbc = new Contender("plain pgjdbc", Kind.PGJDBC, List.of(pgjdbcJar));
    List<Path> ours = new ArrayList<>();
    ours.add(Path.of(required("bench.classes")).toAbsolutePath());
    ours.addAll(ourRuntime);
    pazpaz = new Contender("pazpaz-secrets-jdbc", Kind.PAZPAZ, ours);
    Path dropInJar = findDropInJar(Path.of(required("bench.dropInJarDir")));
    dropIn =
        dropInJar == null
            ? null
            : new Contender(
                "pazpaz-secrets-jdbc (drop-in jar)", Kind.PAZPAZ, List.of(dropInJar, pgjdbcJar));
    secretsManagerJdbc =
        new Contender(
            "aws-secretsmanager-jdbc "
                + version(readClassPath("aws-secretsmanager-jdbc"), "aws-secretsmanager-jdbc"),
            Kind.SECRETSMANAGER_JDBC,
            readClassPath("aws-secretsmanager-jdbc"));
    awsWrapper =
        new Contender(
            "aws-advanced-jdbc-wrapper "
                + version(readClassPath("aws-advanced-jdbc-wrapper"), "aws-advanced-jdbc-wrapper")
                + " (awsSecretsManager)",
            Kind.AWS_WRAPPER,
            readClassPath("aws-advanced-jdbc-wrapper"));

    List<Path> ownClassPath =
        Arrays.stream(System.getProperty("java.class.path").split(":")).map(Path::of).toList();
    jmhClassPath =
        pick(
            ownClassPath,
            "/org/openjdk/jmh/",
            "/net/sf/jopt-simple/",
            "/org/apache/commons/commons-math3/");
    poolClassPath = pick(ownClassPath, "/com/zaxxer/HikariCP/", "/org/slf4j/slf4j-api/");

    log("starting the embedded PostgreSQL and the local Secrets Manager");
    postgres = TestPostgres.get();
    secretsManager = LocalSecretsManager.start();
    servers =
        new Servers(
            postgres.host(),
            postgres.port(),
            DATABASE,
            postgres.caCertificate(),
            secretsManager.endpoint().toString(),
            secretsManager.region());
    report =
        new Report(
            List.of(pazpaz, secretsManagerJdbc, awsWrapper, pgjdbc),
            dropIn,
            jmh,
            jmhRounds,
            coldRepeats);
  }

  public static void main(String[] args) throws Exception {
    Instant started = Instant.now();
    BenchMain bench = new BenchMain();
    bench.report.machineAtStart(Report.loadAverage());
    try {
      bench.run();
    } finally {
      bench.secretsManager.close();
    }
    bench.report.finished(Duration.between(started, Instant.now()), Report.loadAverage());
    String markdown = bench.report.markdown();
    Files.writeString(bench.dir.resolve("results.md"), markdown);
    System.out.println();
    System.out.println(markdown);
    System.out.println("Written to " + bench.dir.resolve("results.md"));
    // zonky's shutdown hook stops PostgreSQL.
    System.exit(0);
  }

  private void run() throws Exception {
    if (parts.contains("work")) {
      perConnectWork();
    }
    if (parts.contains("paired")) {
      pairedWithPgjdbc();
    }
    if (parts.contains("warm")) {
      warmConnectAndRoundTrip();
    }
    if (parts.contains("cold")) {
      coldConnect();
    }
    if (parts.contains("herd")) {
      concurrentFirstConnects();
    }
    if (parts.contains("wrong")) {
      wrongPassword();
    }
    if (parts.contains("rotation")) {
      rotationUnderPoolLoad();
    }
    if (parts.contains("window")) {
      heldRotationWindow();
    }
    if (parts.contains("memory")) {
      memoryAndThreads();
    }
    if (parts.contains("size")) {
      sizes();
    }
    if (parts.contains("hold")) {
      hold();
    }
  }

  /**
   * For profiling by hand: writes {@code hold/<contender>.sh}, which runs that contender's cold
   * connect (or {@code -Dbench.holdMain}, such as {@code PairedConnect}: the baseline's options are
   * there too) with any JVM options in {@code JVM_OPTS}, and keeps the servers up until {@code
   * hold/stop} exists or an hour has passed.
   */
  private void hold() throws IOException, InterruptedException {
    Path hold = dir.resolve("hold");
    Files.createDirectories(hold);
    Files.deleteIfExists(hold.resolve("stop"));
    List<Contender> contenders =
        new ArrayList<>(List.of(pgjdbc, pazpaz, secretsManagerJdbc, awsWrapper));
    for (Contender contender : contenders) {
      Target target = target("hold", contender);
      List<String> options = new ArrayList<>(childOptions(contender, target));
      options.addAll(Contender.baselineOptions(target));
      List<String> command =
          ChildJvm.command(
              options,
              classPath(List.of(), contender.classPath()),
              System.getProperty("bench.holdMain", ColdConnect.class.getName()),
              List.of());
      Path script = hold.resolve(slug(contender) + ".sh");
      Files.writeString(script, ChildJvm.script(command));
      script.toFile().setExecutable(true);
      log("hold: " + script);
    }
    log("hold: servers stay up until " + hold.resolve("stop") + " exists");
    Instant until = Instant.now().plus(Duration.ofHours(1));
    while (!Files.exists(hold.resolve("stop")) && Instant.now().isBefore(until)) {
      Thread.sleep(500);
    }
  }

  // ---- In one JVM with plain pgjdbc, call by call: the ratios ----

  /**
   * Each contender against plain pgjdbc in its own JVM, alternating call by call ({@link
   * PairedConnect}); plain pgjdbc against itself first, as the control that shows the method's own
   * bias and spread.
   */
  private void pairedWithPgjdbc() {
    report.pairedShape(PAIRED_ROUNDS, PAIRED_CONNECTS, PAIRED_STATEMENTS);
    for (Contender contender : List.of(pgjdbc, pazpaz, secretsManagerJdbc, awsWrapper)) {
      log("paired with plain pgjdbc, call by call: " + contender.name());
      Target target = target("paired", contender);
      List<String> options = new ArrayList<>(childOptions(contender, target));
      options.addAll(Contender.baselineOptions(target));
      ChildJvm child =
          ChildJvm.start(
                  contender.name(),
                  options,
                  classPath(List.of(), contender.classPath()),
                  PairedConnect.class.getName(),
                  List.of(
                      Integer.toString(PAIRED_ROUNDS),
                      Integer.toString(PAIRED_CONNECTS),
                      Integer.toString(PAIRED_STATEMENTS)),
                  logs.resolve("paired-" + slug(contender) + ".log"))
              .finish(600);
      for (Map<String, String> result : child.results()) {
        report.paired(contender, result.get("benchmark"), result);
      }
    }
  }

  // ---- JMH: the driver's own per-connect work, no servers ----

  private void perConnectWork() {
    log("JMH per-connect work without the login (-prof gc): " + pazpaz.name());
    ChildJvm run =
        ChildJvm.start(
                pazpaz.name(),
                List.of(),
                classPath(jmhClassPath, pazpaz.classPath()),
                PerConnectWorkRun.class.getName(),
                List.of(
                    jmh[0],
                    jmh[1],
                    jmh[2],
                    jmh[3],
                    jmh[4],
                    dir.resolve("jmh-work.json").toString()),
                logs.resolve("jmh-work.log"))
            .finish(600);
    for (Map<String, String> result : run.results()) {
      report.perConnectWork(result);
    }
  }

  // ---- JMH: warm connect and statement round trip, absolute ----

  /**
   * One JMH run per contender and round; the rounds go through the contenders in alternating order
   * and their iterations are pooled, so that a machine that drifts (other work, heat) during the
   * runs weighs on every contender alike instead of on whoever ran then.
   */
  private void warmConnectAndRoundTrip() {
    List<Contender> contenders = List.of(pgjdbc, pazpaz, secretsManagerJdbc, awsWrapper);
    Map<Contender, Target> targets = new LinkedHashMap<>();
    for (Contender contender : contenders) {
      targets.put(contender, target("warm", contender));
    }
    Map<Contender, Map<String, List<Double>>> iterations = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (int round = 0; round < jmhRounds; round++) {
      List<Contender> order = new ArrayList<>(contenders);
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (Contender contender : order) {
        log(
            "JMH warm connect and statement round trip, round "
                + (round + 1)
                + "/"
                + jmhRounds
                + ": "
                + contender.name());
        String file = "jmh-" + slug(contender) + "-" + (round + 1);
        ChildJvm jmhRun =
            ChildJvm.start(
                    contender.name(),
                    childOptions(contender, targets.get(contender)),
                    classPath(jmhClassPath, contender.classPath()),
                    JmhRun.class.getName(),
                    List.of(
                        jmh[0],
                        jmh[1],
                        jmh[2],
                        jmh[3],
                        jmh[4],
                        dir.resolve(file + ".json").toString()),
                    logs.resolve(file + ".log"))
                .finish(900);
        for (String line : jmhRun.linesStartingWith("ITER ")) {
          Map<String, String> iteration = ChildJvm.pairs(line);
          units.put(iteration.get("benchmark"), iteration.get("unit"));
          iterations
              .computeIfAbsent(contender, c -> new LinkedHashMap<>())
              .computeIfAbsent(iteration.get("benchmark"), b -> new ArrayList<>())
              .add(Double.parseDouble(iteration.get("score")));
        }
      }
    }
    for (Contender contender : contenders) {
      iterations
          .getOrDefault(contender, Map.of())
          .forEach(
              (benchmark, scores) ->
                  report.jmh(contender, benchmark, Score.pooled(scores, units.get(benchmark))));
      if (contender.kind().usesSecretsManager()) {
        report.warmCalls(contender, calls(targets.get(contender).secretId()));
      }
    }
  }

  // ---- Fresh JVMs: cold first connect, classes loaded, the connection's class ----

  private void coldConnect() {
    List<Contender> contenders =
        new ArrayList<>(List.of(pgjdbc, pazpaz, secretsManagerJdbc, awsWrapper));
    if (dropIn != null) {
      contenders.add(2, dropIn);
    }
    Map<Contender, Target> targets = new LinkedHashMap<>();
    for (Contender contender : contenders) {
      targets.put(contender, target("cold", contender));
    }
    Map<Contender, List<Double>> connectMs = new LinkedHashMap<>();
    Map<Contender, List<Double>> wallMs = new LinkedHashMap<>();
    Map<Contender, List<Double>> cpuMs = new LinkedHashMap<>();
    for (int repeat = 0; repeat < coldRepeats; repeat++) {
      // A different order each round, so that drift on a busy machine is spread over everyone.
      for (int i = 0; i < contenders.size(); i++) {
        Contender contender = contenders.get((i + repeat) % contenders.size());
        log("cold connect " + (repeat + 1) + "/" + coldRepeats + ": " + contender.name());
        ChildJvm child =
            ChildJvm.start(
                    contender.name(),
                    childOptions(contender, targets.get(contender)),
                    classPath(List.of(), contender.classPath()),
                    ColdConnect.class.getName(),
                    List.of(),
                    logs.resolve("cold-" + slug(contender) + ".log"))
                .finish(120);
        connectMs
            .computeIfAbsent(contender, c -> new ArrayList<>())
            .add(Double.parseDouble(child.result().get("connectMs")));
        wallMs.computeIfAbsent(contender, c -> new ArrayList<>()).add(child.wallMillis());
        addCpu(cpuMs, contender, child.result());
        report.connectionClass(contender, child.linesStartingWith("CLASS ").get(0));
      }
    }
    log("cold: the AWS SDK alone, client build and first GetSecretValue: " + pazpaz.name());
    List<Double> sdkMs = new ArrayList<>();
    List<Double> sdkCpuMs = new ArrayList<>();
    for (int repeat = 0; repeat < coldRepeats; repeat++) {
      Map<String, String> result =
          ChildJvm.start(
                  pazpaz.name(),
                  childOptions(pazpaz, targets.get(pazpaz)),
                  classPath(List.of(), pazpaz.classPath()),
                  SdkAloneCold.class.getName(),
                  List.of(),
                  logs.resolve("cold-sdk-alone.log"))
              .finish(120)
              .result();
      sdkMs.add(Double.parseDouble(result.get("connectMs")));
      if (result.containsKey("cpuMs")) {
        sdkCpuMs.add(Double.parseDouble(result.get("cpuMs")));
      }
    }
    report.sdkAlone(
        Score.median(sdkMs, "ms"), sdkCpuMs.isEmpty() ? null : Score.median(sdkCpuMs, "ms"));
    coldWithAppCds(targets);
    log("cold first connect, step by step: " + pazpaz.name());
    for (int repeat = 0; repeat < coldRepeats; repeat++) {
      ChildJvm child =
          ChildJvm.start(
                  pazpaz.name(),
                  childOptions(pazpaz, targets.get(pazpaz)),
                  classPath(List.of(), pazpaz.classPath()),
                  ColdTimeline.class.getName(),
                  List.of(),
                  logs.resolve("cold-timeline.log"))
              .finish(120);
      report.coldTimeline(child.result());
    }
    for (Contender contender : contenders) {
      report.cold(
          contender,
          Score.median(connectMs.get(contender), "ms"),
          Score.median(wallMs.get(contender), "ms"),
          cpuMs.containsKey(contender) ? Score.median(cpuMs.get(contender), "ms") : null);
      log("classes loaded for one connect: " + contender.name());
      Path classLog = logs.resolve("classes-" + slug(contender) + ".log");
      deleteIfExists(classLog);
      List<String> options = new ArrayList<>();
      options.add("-Xlog:class+load=info:file=" + classLog);
      options.addAll(childOptions(contender, targets.get(contender)));
      ChildJvm.start(
              contender.name(),
              options,
              classPath(List.of(), contender.classPath()),
              ColdConnect.class.getName(),
              List.of(),
              logs.resolve("cold-" + slug(contender) + ".log"))
          .finish(120);
      report.classesLoaded(contender, countLines(classLog));
    }
  }

  /**
   * The same first connect with an AppCDS archive that one training run wrote (Java 17: {@code
   * -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}): what a user who starts many
   * short JVMs (CLI tools, batch jobs) can do. Plain pgjdbc and the drop-in jar only: an archive
   * takes jars, not class folders, so the bench mains go in a jar of their own.
   */
  private void coldWithAppCds(Map<Contender, Target> targets) {
    if (dropIn == null) {
      return;
    }
    Path mains = jarOf(testClasses, dir.resolve("cds").resolve("bench-mains.jar"));
    for (Contender contender : List.of(pgjdbc, dropIn)) {
      log("cold connect with an AppCDS archive: " + contender.name());
      List<Path> classPath = new ArrayList<>(List.of(mains));
      classPath.addAll(contender.classPath());
      Path archive = dir.resolve("cds").resolve(slug(contender) + ".jsa");
      deleteIfExists(archive);
      Path log = logs.resolve("cold-cds-" + slug(contender) + ".log");
      List<String> training = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
      training.addAll(childOptions(contender, targets.get(contender)));
      ChildJvm.start(
              contender.name(), training, classPath, ColdConnect.class.getName(), List.of(), log)
          .finish(120);
      List<Double> connectMs = new ArrayList<>();
      for (int repeat = 0; repeat < coldRepeats; repeat++) {
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(childOptions(contender, targets.get(contender)));
        Map<String, String> result =
            ChildJvm.start(
                    contender.name(),
                    options,
                    classPath,
                    ColdConnect.class.getName(),
                    List.of(),
                    log)
                .finish(120)
                .result();
        connectMs.add(Double.parseDouble(result.get("connectMs")));
      }
      report.coldWithAppCds(contender, Score.median(connectMs, "ms"));
    }
  }

  /** Every file under {@code folder} in a jar at {@code jar}. */
  private static Path jarOf(Path folder, Path jar) {
    try {
      Files.createDirectories(jar.getParent());
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.walk(folder)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jar, e);
    }
  }

  private static void addCpu(
      Map<Contender, List<Double>> cpuMs, Contender contender, Map<String, String> result) {
    if (result.containsKey("cpuMs")) {
      cpuMs
          .computeIfAbsent(contender, c -> new ArrayList<>())
          .add(Double.parseDouble(result.get("cpuMs")));
    }
  }

  // ---- Heap and threads kept by the driver ----

  private void memoryAndThreads() {
    for (Contender contender : List.of(pgjdbc, pazpaz, secretsManagerJdbc, awsWrapper)) {
      log("heap and threads with " + MEMORY_SECRETS + " cached secrets: " + contender.name());
      Target target = target("memory", contender);
      if (contender.kind().usesSecretsManager()) {
        for (int i = 1; i <= MEMORY_SECRETS; i++) {
          secretsManager.createSecret(
              target.secretId() + "-" + i, secretJson(target.role(), target.password()));
        }
      }
      List<String> options = new ArrayList<>();
      options.add("-XX:+UseSerialGC");
      options.add("-Dbench.secretId=" + target.secretId());
      options.addAll(childOptions(contender, target));
      ChildJvm child =
          ChildJvm.start(
                  contender.name(),
                  options,
                  classPath(List.of(), contender.classPath()),
                  MemoryAndThreads.class.getName(),
                  List.of(Integer.toString(MEMORY_SECRETS)),
                  logs.resolve("memory-" + slug(contender) + ".log"))
              .finish(600);
      for (Map<String, String> result : child.results()) {
        report.memory(contender, result);
      }
    }
  }

  // ---- 64 concurrent first connects ----

  private void concurrentFirstConnects() {
    for (Contender contender : List.of(pazpaz, secretsManagerJdbc, awsWrapper)) {
      log(HERD + " concurrent first connects: " + contender.name());
      Target target = target("herd", contender);
      ChildJvm child =
          ChildJvm.start(
                  contender.name(),
                  childOptions(contender, target),
                  classPath(List.of(), contender.classPath()),
                  ConcurrentFirstConnects.class.getName(),
                  List.of(Integer.toString(HERD)),
                  logs.resolve("herd-" + slug(contender) + ".log"))
              .finish(300);
      report.herd(
          contender, child.result(), calls(target.secretId()), child.linesStartingWith("FAILURE "));
    }
  }

  // ---- 200 connects with a password that stays wrong ----

  private void wrongPassword() {
    for (Contender contender : List.of(pazpaz, secretsManagerJdbc, awsWrapper)) {
      log(
          WRONG_THREADS * WRONG_PER_THREAD
              + " connects with a wrong password: "
              + contender.name());
      String role = role("wrong", contender);
      postgres.createRole(role, password(), DATABASE);
      String wrong = password();
      String secretId = secretId("wrong", contender);
      secretsManager.createSecret(secretId, secretJson(role, wrong));
      Target target = new Target(servers, secretId, role, wrong);
      List<String> options = new ArrayList<>(childOptions(contender, target));
      options.add("-Dbench.wrongPassword=" + wrong);
      ChildJvm child =
          ChildJvm.start(
                  contender.name(),
                  options,
                  classPath(List.of(), contender.classPath()),
                  WrongPasswordConnects.class.getName(),
                  List.of(
                      Integer.toString(WRONG_THREADS),
                      Integer.toString(WRONG_PER_THREAD),
                      Integer.toString(WRONG_PAUSE_MILLIS)),
                  logs.resolve("wrong-" + slug(contender) + ".log"))
              .finish(900);
      report.wrongPassword(
          contender,
          child.result(),
          calls(secretId),
          child.linesStartingWith("SQLSTATE "),
          child.linesStartingWith("FAILURE "));
    }
  }

  // ---- Single-user rotation in AWS's order under a busy HikariCP pool ----

  private void rotationUnderPoolLoad() throws InterruptedException, SQLException {
    for (Contender contender : List.of(pazpaz, secretsManagerJdbc, awsWrapper)) {
      log("single-user rotation under pool load: " + contender.name());
      Target target = target("rotation", contender);
      String newPassword = password();
      try (ChildJvm child =
          ChildJvm.start(
              contender.name(),
              childOptions(contender, target),
              classPath(poolClassPath, contender.classPath()),
              RotationUnderPoolLoad.class.getName(),
              List.of(Integer.toString(POOL_SIZE)),
              logs.resolve("rotation-" + slug(contender) + ".log"))) {
        child.awaitLine("READY");
        longestBorrow = 0;
        List<String> phases = new ArrayList<>();
        Map<String, String> status = ChildJvm.pairs(child.ask("status", "STATUS "));
        status = phase(child, phases, status, "steady", Duration.ofSeconds(2));
        // createSecret: the new password as AWSPENDING.
        String pending =
            secretsManager.putSecretValue(
                target.secretId(), secretJson(target.role(), newPassword), "AWSPENDING");
        status =
            phase(
                child,
                phases,
                status,
                "createSecret (AWSPENDING written)",
                Duration.ofMillis(1500));
        // setSecret: the database takes the new password; AWSCURRENT still holds the old one.
        postgres.alterPassword(target.role(), newPassword);
        status =
            phase(
                child,
                phases,
                status,
                "setSecret (database changed, AWSCURRENT still old)",
                Duration.ofSeconds(3));
        // testSecret: the rotation function logs in with the pending password.
        testLogin(target.role(), newPassword);
        status = phase(child, phases, status, "testSecret", Duration.ofMillis(500));
        // finishSecret: AWSCURRENT moves to the new version.
        secretsManager.moveStage(target.secretId(), "AWSCURRENT", pending);
        status =
            phase(
                child, phases, status, "finishSecret (AWSCURRENT promoted)", Duration.ofSeconds(3));
        status = phase(child, phases, status, "settled", Duration.ofSeconds(2));
        child.ask("stop", "RESULT ");
        child.finish(120);
        Map<String, String> result = new LinkedHashMap<>(child.result());
        result.put("longestBorrowMs", Long.toString(longestBorrow));
        report.rotation(
            contender,
            result,
            calls(target.secretId()),
            phases,
            child.linesStartingWith("SQLSTATE "),
            child.linesStartingWith("FAILURE "));
      }
    }
  }

  /**
   * Lets the load run for the phase, then records what happened in it: logins, failures, and the
   * longest borrow that completed in it (a borrow held up by failing logins completes late).
   */
  private Map<String, String> phase(
      ChildJvm child,
      List<String> phases,
      Map<String, String> before,
      String name,
      Duration duration)
      throws InterruptedException {
    Thread.sleep(duration.toMillis());
    Map<String, String> after = ChildJvm.pairs(child.ask("status", "STATUS "));
    phases.add(
        String.format(
            Locale.ROOT,
            "%s: %d logins, %d failed logins, %d borrows, %d failed borrows, longest borrow %s ms",
            name,
            delta(before, after, "logins"),
            delta(before, after, "failedLogins"),
            delta(before, after, "borrows"),
            delta(before, after, "failedBorrows"),
            after.get("longestBorrowMs")));
    longestBorrow = Math.max(longestBorrow, Long.parseLong(after.get("longestBorrowMs")));
    return after;
  }

  private static long delta(Map<String, String> before, Map<String, String> after, String key) {
    return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
  }

  private void testLogin(String role, String password) throws SQLException {
    Properties properties = postgres.tlsProperties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    try (Connection connection =
        DriverManager.getConnection(postgres.jdbcUrl(DATABASE), properties)) {
      connection.isValid(5);
    }
  }

  // ---- A rotation window held open under connect-per-request load, counted in PostgreSQL's log
  // ----

  /**
   * 4 threads connect per request while the database has the new password and AWSCURRENT still the
   * old one for {@link #WINDOW}, then the promotion and 3 s more. Refused logins are counted from
   * PostgreSQL's own log, as an operator's alarm counts them.
   */
  private void heldRotationWindow() throws InterruptedException {
    PostgresServerLog serverLog = postgres.serverLog();
    for (Contender contender : List.of(pazpaz, secretsManagerJdbc, awsWrapper)) {
      log("held rotation window, connect per request: " + contender.name());
      Target target = target("window", contender);
      String newPassword = password();
      try (ChildJvm child =
          ChildJvm.start(
              contender.name(),
              childOptions(contender, target),
              classPath(List.of(), contender.classPath()),
              HeldWindowConnects.class.getName(),
              List.of(Integer.toString(WINDOW_THREADS)),
              logs.resolve("window-" + slug(contender) + ".log"))) {
        child.awaitLine("READY");
        Thread.sleep(2000);
        String pending =
            secretsManager.putSecretValue(
                target.secretId(), secretJson(target.role(), newPassword), "AWSPENDING");
        Thread.sleep(1000);
        Map<String, String> before = ChildJvm.pairs(child.ask("status", "STATUS "));
        int callsBefore = calls(target.secretId()).get("total");
        long windowMark = serverLog.mark();
        postgres.alterPassword(target.role(), newPassword);
        Thread.sleep(WINDOW.toMillis());
        Map<String, String> inWindow = ChildJvm.pairs(child.ask("status", "STATUS "));
        long promotionMark = serverLog.mark();
        secretsManager.moveStage(target.secretId(), "AWSCURRENT", pending);
        Thread.sleep(3000);
        child.ask("stop", "RESULT ");
        child.finish(120);
        Map<String, String> after = child.result();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("threads", Integer.toString(WINDOW_THREADS));
        result.put("windowSeconds", Long.toString(WINDOW.toSeconds()));
        result.put("windowConnects", Long.toString(delta(before, inWindow, "connects")));
        result.put(
            "windowFailedConnects", Long.toString(delta(before, inWindow, "failedConnects")));
        result.put("afterConnects", Long.toString(delta(inWindow, after, "connects")));
        result.put("afterFailedConnects", Long.toString(delta(inWindow, after, "failedConnects")));
        result.put(
            "windowRefused",
            Integer.toString(
                serverLog.rejectedLogins(target.role(), windowMark)
                    - serverLog.rejectedLogins(target.role(), promotionMark)));
        result.put(
            "afterRefused",
            Integer.toString(serverLog.rejectedLogins(target.role(), promotionMark)));
        Map<String, Integer> calls = calls(target.secretId());
        calls.put("sinceDatabaseChange", calls.get("total") - callsBefore);
        report.heldWindow(contender, result, calls, child.linesStartingWith("FAILURE "));
      }
    }
  }

  // ---- Runtime dependency size ----

  private void sizes() {
    report.dropInJar(dropIn == null ? null : dropIn.classPath().get(0));
    for (Contender contender : List.of(pazpaz, secretsManagerJdbc, awsWrapper)) {
      List<Path> jars =
          contender.classPath().stream().filter(p -> !isPgjdbcOrItsDependency(p)).toList();
      long bytes = jars.stream().mapToLong(BenchMain::size).sum();
      report.runtimeTree(contender, jars.size(), bytes);
    }
  }

  private static boolean isPgjdbcOrItsDependency(Path path) {
    String text = path.toString();
    return text.contains("/org/postgresql/postgresql/")
        || text.contains("/org/checkerframework/checker-qual/");
  }

  private static long size(Path path) {
    try {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          return files.filter(Files::isRegularFile).mapToLong(BenchMain::size).sum();
        }
      }
      return Files.size(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- Roles, secrets, JVM options ----

  /** A role with its own password and a secret for it, for one part and one contender. */
  private Target target(String part, Contender contender) {
    String role = role(part, contender);
    String password = password();
    postgres.createRole(role, password, DATABASE);
    String secretId = secretId(part, contender);
    secretsManager.createSecret(secretId, secretJson(role, password));
    return new Target(servers, secretId, role, password);
  }

  private static String role(String part, Contender contender) {
    return "bench_" + part + "_" + slug(contender).replace('-', '_');
  }

  private static String secretId(String part, Contender contender) {
    return "bench-" + part + "-" + slug(contender);
  }

  private String password() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return "bench-" + HexFormat.of().formatHex(bytes);
  }

  /** The secret JSON every contender reads: RDS's keys plus our host/port/database/CA. */
  private String secretJson(String role, String password) {
    return "{\"username\":\""
        + role
        + "\",\"password\":\""
        + password
        + "\",\"engine\":\"postgres\",\"host\":\""
        + servers.host()
        + "\",\"port\":"
        + servers.port()
        + ",\"database\":\""
        + DATABASE
        + "\",\"dbname\":\""
        + DATABASE
        + "\",\"ssl_cert_path\":\""
        + servers.caCertificate()
        + "\"}";
  }

  /** Secrets Manager requests for this secret, by operation, total last. */
  private Map<String, Integer> calls(String secretId) {
    Map<String, Integer> calls = new LinkedHashMap<>();
    int total = 0;
    for (String operation : OPERATIONS) {
      int count = secretsManager.calls(operation, secretId);
      if (count > 0) {
        calls.put(operation, count);
      }
      total += count;
    }
    calls.put("total", total);
    return calls;
  }

  private List<String> childOptions(Contender contender, Target target) {
    List<String> options = new ArrayList<>();
    options.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    // The local endpoint ignores credentials, but the SDKs want some; no profile files are read.
    options.add("-Daws.accessKeyId=bench");
    options.add("-Daws.secretAccessKey=bench");
    options.add("-Daws.disableEc2Metadata=true");
    options.add("-Daws.sharedCredentialsFile=" + dir.resolve("no-aws-config/credentials"));
    options.add("-Daws.configFile=" + dir.resolve("no-aws-config/config"));
    options.addAll(contender.jvmOptions(target));
    return options;
  }

  private List<Path> classPath(List<Path> tools, List<Path> contender) {
    List<Path> classPath = new ArrayList<>();
    classPath.add(testClasses);
    classPath.addAll(contender);
    classPath.addAll(tools);
    return classPath;
  }

  private List<Path> readClassPath(String name) {
    Path file = dir.resolve("classpath").resolve(name + ".txt");
    try {
      String text = Files.readString(file).trim();
      return Arrays.stream(text.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("the bench profile writes " + file + "; run mvn -Pbench", e);
    }
  }

  private static String version(List<Path> classPath, String artifactId) {
    for (Path path : classPath) {
      String file = path.getFileName().toString();
      if (file.startsWith(artifactId + "-") && file.endsWith(".jar")) {
        return file.substring(artifactId.length() + 1, file.length() - ".jar".length());
      }
    }
    return "?";
  }

  private static Path findDropInJar(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().matches("pazpaz-secrets-jdbc-.*-all\\.jar"))
          .findFirst()
          .map(Path::toAbsolutePath)
          .orElse(null);
    }
  }

  private static List<Path> pick(List<Path> classPath, String... fragments) {
    List<Path> picked = new ArrayList<>();
    for (String fragment : fragments) {
      classPath.stream()
          .filter(p -> p.toString().contains(fragment))
          .findFirst()
          .ifPresentOrElse(
              picked::add,
              () -> {
                throw new IllegalStateException(fragment + " is not on the bench class path");
              });
    }
    return picked;
  }

  private static long countLines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(line -> line.contains(" source: ")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String slug(Contender contender) {
    String kind = contender.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    return contender.name().contains("drop-in") ? kind + "-drop-in" : kind;
  }

  private static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("system property " + name + " is not set (run mvn -Pbench)");
    }
    return value;
  }

  static void log(String message) {
    System.out.println("[bench] " + message);
  }
}
