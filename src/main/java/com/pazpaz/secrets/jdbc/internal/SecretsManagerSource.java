package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Reads secrets with the AWS SDK. One client per {@link ClientSettings}, built on first use and
 * closed by {@link #close()}; every call is a real {@code GetSecretValue}, without caching.
 */
public final class SecretsManagerSource implements AutoCloseable {

  private static final System.Logger LOG = Logging.LOGGER;
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Map<ClientSettings, SecretsManagerClient> clients = new ConcurrentHashMap<>();
  private final Timers timers = new Timers();
  private final Function<ClientSettings, SecretsManagerClient> clientFactory;
  private final Clock clock;

  public SecretsManagerSource() {
    this.clientFactory = settings -> buildClient(settings, timers.executor());
    this.clock = Clock.systemUTC();
  }

  /** For tests that hand in their own client factory or clock. */
  public SecretsManagerSource(
      Function<ClientSettings, SecretsManagerClient> clientFactory, Clock clock) {
    this.clientFactory = clientFactory;
    this.clock = clock;
  }

  /**
   * Reads the secret now. Failures are not logged here: the caller knows whether one is expected.
   *
   * @throws SecretReadException when Secrets Manager cannot be read
   * @throws MalformedSecretException when the secret is binary or not the expected JSON
   */
  public FetchedSecret fetch(SecretLocation location) throws SQLException {
    GetSecretValueResponse response;
    try {
      response =
          client(location.client())
              .getSecretValue(
                  r -> r.secretId(location.secretId()).versionStage(location.versionStage()));
    } catch (SdkException e) {
      throw SecretReadException.from(location, e);
    }
    DatabaseSecret secret = SecretParser.parse(location.secretId(), response.secretString());
    LOG.log(
        Level.INFO,
        Logging.event(
            "database_credentials_fetched_from_aws",
            "secret",
            location.secretId(),
            "stage",
            location.versionStage(),
            "version",
            response.versionId(),
            "host",
            secret.host()));
    if (secret.hasShortPassword()) {
      LOG.log(
          Level.WARNING,
          Logging.event(
              "short_database_password",
              "secret",
              location.secretId(),
              "version",
              response.versionId(),
              "minimum_length",
              String.valueOf(DatabaseSecret.MINIMUM_PASSWORD_LENGTH)));
    }
    return new FetchedSecret(secret, response.versionId(), clock.instant(), response.createdDate());
  }

  /** The shared client for these settings; the operator tools make their other calls with it. */
  public SecretsManagerClient client(ClientSettings settings) {
    return clients.computeIfAbsent(settings, clientFactory);
  }

  private static SecretsManagerClient buildClient(
      ClientSettings settings, ScheduledExecutorService timers) {
    Duration timeout = settings.apiCallTimeout();
    Duration connectTimeout =
        timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(connectTimeout)
                    .socketTimeout(timeout))
            .overrideConfiguration(
                o -> {
                  o.apiCallTimeout(timeout);
                  o.scheduledExecutorService(timers);
                  if (settings.awsProfile() != null) {
                    o.defaultProfileName(settings.awsProfile());
                  }
                });
    if (settings.region() != null) {
      builder.region(Region.of(settings.region()));
    }
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    if (settings.awsProfile() != null) {
      builder.credentialsProvider(ProfileCredentialsProvider.create(settings.awsProfile()));
    }
    return builder.build();
  }

  /**
   * The SDK's call timeouts are timers on a scheduled executor; left alone, every client starts a
   * pool that grows to five threads and keeps them until the client is closed. One daemon thread
   * for all of a source's clients does; it ends after a few idle seconds, so an idle driver keeps
   * none, and at once when the source is closed (the SDK never closes an executor handed to it), so
   * that none outlives a deregistration.
   */
  private static final class Timers {
    private @Nullable ScheduledThreadPoolExecutor executor;

    synchronized ScheduledExecutorService executor() {
      ScheduledThreadPoolExecutor current = executor;
      if (current == null || current.isShutdown()) {
        current =
            new ScheduledThreadPoolExecutor(
                1,
                task -> {
                  Thread thread = new Thread(task, "pazpaz-secrets-sdk-timer");
                  thread.setDaemon(true);
                  return thread;
                });
        current.setKeepAliveTime(5, TimeUnit.SECONDS);
        current.allowCoreThreadTimeOut(true);
        current.setRemoveOnCancelPolicy(true);
        executor = current;
      }
      return current;
    }

    synchronized void close() {
      if (executor != null) {
        executor.shutdownNow();
        executor = null;
      }
    }
  }

  @Override
  public void close() {
    clients.values().forEach(SecretsManagerClient::close);
    clients.clear();
    timers.close();
  }
}
