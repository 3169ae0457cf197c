package com.pazpaz.secrets.jdbc.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

/**
 * Meets, through the driver's real Secrets Manager client, the failures of a machine with no AWS
 * region, no AWS credentials and no network path, and prints how each was classified: one line
 * {@code SCENARIO KIND CODE} each. Run in a fresh JVM with an empty environment, so that nothing on
 * the test machine supplies a region or credentials.
 */
final class SdkFailureProbe {

  public static void main(String[] args) throws Exception {
    URI closedPort = URI.create("http://127.0.0.1:" + freedPort());
    Duration timeout = Duration.ofSeconds(5);
    probe("no-region", new ClientSettings(null, closedPort, null, timeout));
    probe("no-credentials", new ClientSettings("us-east-1", closedPort, null, timeout));
    probe(
        "unknown-profile", new ClientSettings("us-east-1", closedPort, "no-such-profile", timeout));

    System.setProperty("aws.accessKeyId", "probe-access-key");
    System.setProperty("aws.secretAccessKey", "probe-secret-key");
    probe("connection-refused", new ClientSettings("us-east-1", closedPort, null, timeout));
    // Accepted by the kernel's backlog, never answered.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI silentEndpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      probe(
          "no-answer",
          new ClientSettings("us-east-1", silentEndpoint, null, Duration.ofSeconds(1)));
    }
  }

  private static void probe(String scenario, ClientSettings client) {
    try (SecretsManagerSource source = new SecretsManagerSource()) {
      source.fetch(new SecretLocation(client, "probe/db", SecretLocation.CURRENT));
      System.out.println(scenario + " no failure");
    } catch (SecretReadException e) {
      System.out.println(scenario + " " + e.failure() + " " + e.awsErrorCode());
    } catch (Exception e) {
      System.out.println(scenario + " unexpected " + e);
    }
  }

  private static int freedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private SdkFailureProbe() {}
}
