package dev.palisade.scanner.source;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.palisade.oci.source.ImageSourceException;
import java.io.IOException;
import java.time.Duration;

/**
 * A pinged connection to the Docker daemon (or podman's compatible API) through docker-java,
 * honouring {@code DOCKER_HOST}: reading images from it and loading verified images into it share
 * this one way of connecting.
 */
public record DockerDaemonConnection(DockerClient client, String host) implements AutoCloseable {

  /** Connects and pings, so an unreachable daemon is reported before any other work. */
  public static DockerDaemonConnection open() throws ImageSourceException {
    DockerClientConfig config;
    try {
      config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    } catch (RuntimeException e) {
      throw new ImageSourceException("docker-daemon: invalid Docker configuration: " + e.getMessage(), e);
    }
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(30))
        .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    String host = String.valueOf(config.getDockerHost());
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw new ImageSourceException("docker-daemon: cannot reach the Docker daemon at " + host
          + " (set DOCKER_HOST): " + e.getMessage(), e);
    }
    return new DockerDaemonConnection(client, host);
  }

  @Override
  public void close() {
    closeQuietly(client);
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // Closing a connection we are done with; nothing useful to report.
    }
  }
}
