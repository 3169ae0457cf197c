package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The drop-in jar ({@code target/pazpaz-secrets-jdbc-<version>-all.jar}) works with nothing but
 * pgjdbc beside it, next to an application's own older Caffeine and AWS SDK, and holds nothing
 * outside our package. Run by failsafe after {@code package}; the pom copies the other jars and
 * passes their folders as system properties.
 */
class DropInJarIT {

  private static final String OUR_PACKAGE = "com/pazpaz/secrets/jdbc/";
  private static final String SHADED = "com.pazpaz.secrets.jdbc.shaded.";

  /** The dependencies relocated into {@link #SHADED}, as packages. */
  private static final List<String> RELOCATED =
      List.of(
          "software.amazon.awssdk",
          "com.github.benmanes.caffeine",
          "org.slf4j",
          "org.reactivestreams",
          "org.jspecify",
          "com.google.errorprone");

  /**
   * A relocated package named as code names it (a class, a descriptor such as {@code
   * (Lsoftware/amazon/awssdk/X;)V}, a resource path, a logger or class name in a string), in a
   * constant without spaces. Messages (constants with spaces) may still mention the originals.
   */
  private static final Pattern UNRELOCATED_NAME =
      Pattern.compile(
          "(?:^|[^A-Za-z0-9_$./])L?(?:"
              + String.join("|", RELOCATED.stream().map(p -> p.replace(".", "[./]")).toList())
              + ")[./]");

  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  @Test
  void connectsInAChildJvmBesideOlderCaffeineAndAwsSdk() throws Exception {
    TestDeployment app =
        TestDeployment.builder("drop_in").secretId(unique("drop-in/credentials")).create();
    String secret = app.secretId();

    Path allJar = allJar();
    List<Path> conflicting = jarsIn("dropin.conflictingLibs");
    Path oldCaffeine = onlyJar(conflicting, "caffeine-");
    Path oldSdkCore = onlyJar(conflicting, "sdk-core-");
    Path pgjdbc = onlyJar(jarsIn("dropin.pgjdbcDir"), "postgresql-");
    Path work = Files.createDirectories(requiredPath("dropin.workDir"));

    // The application's older jars first: a name the drop-in jar failed to relocate would
    // resolve to them, not to the jar's own copy.
    List<Path> classPath = new ArrayList<>(conflicting);
    classPath.add(pgjdbc);
    classPath.add(allJar);
    classPath.add(copyMainClass(work.resolve("classes")));
    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // The local endpoint ignores credentials, but the SDK wants some; no profile files.
            "-Daws.accessKeyId=drop-in-access-key",
            "-Daws.secretAccessKey=drop-in-secret-key",
            "-Daws.disableEc2Metadata=true",
            "-Daws.sharedCredentialsFile=" + work.resolve("no-aws-config/credentials"),
            "-Daws.configFile=" + work.resolve("no-aws-config/config"),
            "-Djava.util.logging.config.file=" + writeLoggingConfig(work),
            // Where each class comes from, in order with what the main prints.
            "-Xlog:class+load=info:stdout",
            "-cp",
            join(classPath),
            DropInJarMain.class.getName(),
            app.url());
    Set<String> driverVariables =
        Set.of("ENVIRONMENT", "DATABASE_URL", "DB_SECRETS_MANAGER_KEY_NAME");
    child.environment().keySet().removeIf(k -> k.startsWith("AWS_") || driverVariables.contains(k));
    child.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    child.redirectErrorStream(true);
    Path output = work.resolve("child-output.log");
    child.redirectOutput(output.toFile());
    Process process = child.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("child JVM did not finish: " + Files.readString(output));
    }
    String printed = Files.readString(output);
    Map<String, String> values = keyValues(printed);
    // Failure messages leave out the thousands of class loading lines; the file has them all.
    String shown =
        output
            + " without [class,load] lines:\n"
            + printed.lines().filter(l -> !l.contains("[class,load]")).collect(joining("\n"));
    assertTrue(values.containsKey("phase"), shown);

    assertEquals(0, process.exitValue(), shown);
    assertEquals(app.role(), values.get("current_user"), shown);
    assertFalse(printed.contains(app.password()), "password printed: " + shown);
    assertEquals(1, secretsManager().calls("GetSecretValue", secret));

    // pgjdbc's own connection from pgjdbc's jar, through our driver from the drop-in jar.
    assertEquals("org.postgresql.jdbc.PgConnection", values.get("connection"), shown);
    assertSameFile(pgjdbc, values.get("connection.location"));
    assertSameFile(allJar, values.get("driver.location"));

    // The application's old libraries stayed its own and kept working ...
    assertSameFile(oldCaffeine, values.get("old.caffeine"));
    assertEquals("old-caffeine-works", values.get("old.caffeine.value"), shown);
    assertSameFile(oldSdkCore, values.get("old.awssdk"));
    String oldSdkVersion = versionOf(oldSdkCore, "sdk-core-");
    assertEquals(oldSdkVersion, values.get("old.awssdk.version"), shown);
    assertEquals("eu-west-1", values.get("old.awssdk.region"), shown);
    // ... while the driver used the relocated copies inside the drop-in jar.
    assertSameFile(allJar, values.get("shaded.awssdk"));
    assertNotEquals(oldSdkVersion, values.get("shaded.awssdk.version"), shown);
    assertSameFile(allJar, values.get("shaded.caffeine"));
    // Once the main has started on the driver, no class comes from the old jars: an unrelocated
    // name would load the old class and might even work, as Caffeine 2.9 does for this driver.
    List<String> oldClassesLoadedByDriver =
        printed
            .substring(printed.indexOf(DropInJarMain.PREFIX + "phase=driver"))
            .lines()
            .filter(l -> l.contains("[class,load]"))
            .filter(l -> conflicting.stream().anyMatch(j -> l.endsWith(j.getFileName().toString())))
            .toList();
    assertEquals(List.of(), oldClassesLoadedByDriver, "classes from the application's old jars");

    // The SDK inside logs through its relocated SLF4J to JDK logging, under our package; SLF4J
    // found its provider (it reports problems on stderr as "SLF4J(W): ..." or "SLF4J: ...").
    assertTrue(printed.contains("database_credentials_fetched_from_aws"), shown);
    assertTrue(printed.contains(" " + SHADED + "awssdk."), "no SDK log line: " + shown);
    assertFalse(printed.contains("SLF4J(") || printed.contains("SLF4J:"), shown);
  }

  @Test
  void holdsOnlyOurPackageWithDependenciesRelocatedAndNoPgjdbc() throws IOException {
    List<String> outsideOurPackage = new ArrayList<>();
    List<String> unrelocatedNames = new ArrayList<>();
    Map<String, List<String>> services = new HashMap<>();
    try (JarFile jar = new JarFile(allJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        assertFalse(name.startsWith("org/postgresql/"), "pgjdbc in the drop-in jar: " + name);
        assertFalse(name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"), "signature file: " + name);
        String path = name.replaceFirst("^META-INF/versions/\\d+/", "");
        if (path.endsWith(".class")) {
          if (!path.startsWith(OUR_PACKAGE) || path.endsWith("module-info.class")) {
            outsideOurPackage.add(name);
          }
          for (String constant : utf8Constants(read(jar, entry))) {
            if (!WHITESPACE.matcher(constant).find() && UNRELOCATED_NAME.matcher(constant).find()) {
              unrelocatedNames.add(name + ": " + constant);
            }
          }
        } else if (!name.startsWith("META-INF/") && !name.startsWith(OUR_PACKAGE)) {
          outsideOurPackage.add(name);
        }
        if (name.startsWith("META-INF/services/")) {
          services.put(name.substring("META-INF/services/".length()), providers(jar, entry));
        }
      }

      assertEquals(List.of(), outsideOurPackage, "entries outside " + OUR_PACKAGE);
      assertEquals(List.of(), unrelocatedNames, "names of relocated packages left in classes");
      assertEquals(
          "com.pazpaz.secrets.jdbc",
          jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));

      // Web identity tokens (EKS service-account roles) need STS, which the SDK finds by name.
      assertNotNull(
          jar.getEntry(
              (SHADED + "awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory")
                      .replace('.', '/')
                  + ".class"),
          "STS missing: web identity credentials would not work");

      // The service files, merged and relocated: DriverManager finds us, the SDK its HTTP client.
      assertEquals(List.of(PazPazSecretsDriver.class.getName()), services.get("java.sql.Driver"));
      assertEquals(
          List.of(SHADED + "awssdk.http.urlconnection.UrlConnectionSdkHttpService"),
          services.get(SHADED + "awssdk.http.SdkHttpService"));
      assertEquals(
          List.of(SHADED + "slf4j.jul.JULServiceProvider"),
          services.get(SHADED + "slf4j.spi.SLF4JServiceProvider"));
      services.forEach(
          (service, providers) -> {
            assertTrue(
                RELOCATED.stream().noneMatch(service::startsWith),
                "service file not relocated: " + service);
            if (service.startsWith(SHADED)) {
              for (String provider : providers) {
                assertTrue(provider.startsWith(SHADED), service + " lists " + provider);
                assertNotNull(
                    jar.getEntry(provider.replace('.', '/') + ".class"),
                    service + " lists a class the jar does not hold: " + provider);
              }
            }
          });
    }
  }

  /**
   * Spring Boot finds our post-processors and auto-configuration by Spring's own names, which must
   * survive the shading: the files are there, unrenamed, and list classes the jar holds, which
   * still implement Spring's unrelocated interfaces.
   */
  @Test
  void keepsTheSpringBootEntriesUnrelocated() throws IOException {
    try (JarFile jar = new JarFile(allJar().toFile())) {
      JarEntry factoriesEntry = jar.getJarEntry("META-INF/spring.factories");
      assertNotNull(factoriesEntry, "META-INF/spring.factories missing");
      Properties factories = new Properties();
      try (InputStream in = jar.getInputStream(factoriesEntry)) {
        factories.load(in);
      }
      Map<String, String> expected =
          Map.of(
              "org.springframework.boot.EnvironmentPostProcessor",
              "com.pazpaz.secrets.jdbc.spring.DriverClassPostProcessor",
              "org.springframework.boot.env.EnvironmentPostProcessor",
              "com.pazpaz.secrets.jdbc.spring.Boot3DriverClassPostProcessor");
      expected.forEach(
          (key, implementation) -> {
            assertEquals(implementation, factories.getProperty(key), key);
            String classFile = implementation.replace('.', '/') + ".class";
            assertNotNull(jar.getEntry(classFile), classFile);
          });
      JarEntry imports =
          jar.getJarEntry(
              "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
      assertNotNull(imports, "the auto-configuration imports file is missing");
      List<String> autoConfigurations = providers(jar, imports);
      assertEquals(
          List.of("com.pazpaz.secrets.jdbc.spring.PazPazSecretsMetricsAutoConfiguration"),
          autoConfigurations);
      byte[] postProcessor =
          read(
              jar,
              jar.getJarEntry("com/pazpaz/secrets/jdbc/spring/DriverClassPostProcessor.class"));
      assertTrue(
          utf8Constants(postProcessor)
              .contains("org/springframework/boot/EnvironmentPostProcessor"),
          "the post-processor no longer implements Spring's interface");
    }
  }

  // ---- The jars and the child JVM. ----

  private static Path requiredPath(String property) {
    String value = System.getProperty(property);
    assertNotNull(value, "system property " + property + " is set by the pom: run mvn verify");
    return Path.of(value).toAbsolutePath();
  }

  private static Path allJar() {
    Path jar = requiredPath("dropin.allJar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run mvn verify, not only the test");
    return jar;
  }

  private static List<Path> jarsIn(String folderProperty) throws IOException {
    try (Stream<Path> files = Files.list(requiredPath(folderProperty))) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
  }

  private static Path onlyJar(List<Path> jars, String prefix) {
    List<Path> matching =
        jars.stream().filter(j -> j.getFileName().toString().startsWith(prefix)).toList();
    assertEquals(1, matching.size(), prefix + "*.jar among " + jars);
    return matching.get(0);
  }

  /** "sdk-core-2.20.162.jar" with prefix "sdk-core-": "2.20.162". */
  private static String versionOf(Path jar, String prefix) {
    String name = jar.getFileName().toString();
    return name.substring(prefix.length(), name.length() - ".jar".length());
  }

  /** DropInJarMain's class file alone, so that nothing else from test-classes reaches the child. */
  private static Path copyMainClass(Path folder) throws Exception {
    String classFile = DropInJarMain.class.getName().replace('.', '/') + ".class";
    Path testClasses =
        Path.of(DropInJarMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path target = folder.resolve(classFile);
    Files.createDirectories(target.getParent());
    Files.copy(testClasses.resolve(classFile), target, StandardCopyOption.REPLACE_EXISTING);
    return folder;
  }

  /**
   * Everything the driver, the SDK inside it (through its relocated SLF4J), pgjdbc and the JDK's
   * HTTP client log, at the finest level, to the child's stderr: the test searches it for the
   * password.
   */
  private static Path writeLoggingConfig(Path folder) throws IOException {
    return Files.writeString(
        folder.resolve("logging.properties"),
        String.join(
            "\n",
            "handlers=java.util.logging.ConsoleHandler",
            ".level=INFO",
            "java.util.logging.ConsoleHandler.level=ALL",
            "java.util.logging.SimpleFormatter.format=%4$s %3$s: %5$s%6$s%n",
            "com.pazpaz.secrets.jdbc.level=ALL",
            "org.postgresql.level=ALL",
            "sun.net.www.protocol.http.HttpURLConnection.level=ALL",
            ""));
  }

  private static String join(List<Path> classPath) {
    return String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
  }

  /** The child's {@code key=value} lines. */
  private static Map<String, String> keyValues(String printed) {
    Map<String, String> values = new HashMap<>();
    Matcher line =
        Pattern.compile("(?m)^" + Pattern.quote(DropInJarMain.PREFIX) + "([a-z_.]+)=(.*)$")
            .matcher(printed);
    while (line.find()) {
      values.put(line.group(1), line.group(2));
    }
    return values;
  }

  private static void assertSameFile(Path expected, String actual) throws IOException {
    assertNotNull(actual, "the child did not print the location of " + expected.getFileName());
    assertTrue(
        Files.isSameFile(expected, Path.of(actual)), "expected " + expected + ", was " + actual);
  }

  // ---- Reading the jar. ----

  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** The provider lines of a service file, without comments and blank lines. */
  private static List<String> providers(JarFile jar, JarEntry entry) throws IOException {
    return new String(read(jar, entry), StandardCharsets.UTF_8)
        .lines()
        .map(l -> l.replaceFirst("#.*", "").trim())
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /**
   * The CONSTANT_Utf8 entries of a class file (JVMS 4.4): every class name, descriptor, signature
   * and string constant the class holds.
   */
  private static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.skipBytes(4); // minor and major version
    int count = in.readUnsignedShort();
    List<String> constants = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> constants.add(in.readUTF()); // u2 length + modified UTF-8, as readUTF reads
        case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
        case 15 -> in.skipBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // Integer, Float, refs, Dynamic
        case 5, 6 -> {
          in.skipBytes(8); // Long and Double take two slots
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return constants;
  }
}
