package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The local Sigstore as network services, for sigstore-java's unmodified {@code KeylessSigner}:
 * Fulcio over gRPC+TLS and Rekor v1 over HTTP on 127.0.0.1, described by a signing config (v0.2) and
 * a trusted root. The Fulcio TLS certificate is self-signed: sign inside {@link #trustInThisJvm()},
 * because KeylessSigner's gRPC channel uses the JVM's default trust.
 *
 * <p>Rekor v1 ({@code hashedrekord}) and v2 ({@code dsse}, for {@code KeylessSigner.attest}) are
 * served by one log, with an RFC 3161 TSA beside it.
 */
public final class LocalSigstoreServers implements AutoCloseable {

  private final LocalSigstore sigstore;
  private final LocalFulcioServer fulcio;
  private final LocalRekorServer rekor;
  private final Path trustedRoot;
  private final Path signingConfig;
  private final Path truststore;

  private LocalSigstoreServers(Path directory, List<LocalOidcIssuer> issuers) {
    rekor = new LocalRekorServer();
    sigstore = LocalSigstore.create(rekor.url());
    rekor.start(sigstore.rekor(), sigstore.tsa());
    ServerTls tls = new ServerTls();
    fulcio = new LocalFulcioServer(sigstore.fulcio(), issuers, tls);
    trustedRoot = sigstore.writeTrustedRoot(directory.resolve("trusted_root.json"));
    truststore = tls.writeTruststore(directory.resolve("local-sigstore-tls.p12"));
    signingConfig = writeSigningConfig(directory.resolve("signing_config.json"));
  }

  /** Starts Fulcio (trusting these OIDC issuers) and Rekor; writes trusted_root.json, signing_config.json and the TLS truststore into {@code directory}. */
  public static LocalSigstoreServers start(Path directory, LocalOidcIssuer... issuers) {
    return new LocalSigstoreServers(directory, List.of(issuers));
  }

  public LocalSigstore sigstore() {
    return sigstore;
  }

  public Path trustedRoot() {
    return trustedRoot;
  }

  public Path signingConfig() {
    return signingConfig;
  }

  public Path truststore() {
    return truststore;
  }

  /** What {@link #trustInThisJvm} changed, restored on close. */
  public interface JvmTrust extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Points this JVM's default trust store at {@link #truststore()} (KeylessSigner's gRPC channel has
   * no other trust setting) until the returned handle is closed, which restores the previous values.
   */
  public JvmTrust trustInThisJvm() {
    String store = System.getProperty("javax.net.ssl.trustStore");
    String password = System.getProperty("javax.net.ssl.trustStorePassword");
    System.setProperty("javax.net.ssl.trustStore", truststore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    return () -> {
      restore("javax.net.ssl.trustStore", store);
      restore("javax.net.ssl.trustStorePassword", password);
    };
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  public String fulcioUrl() {
    return fulcio.url();
  }

  public String rekorUrl() {
    return rekor.url();
  }

  private Path writeSigningConfig(Path file) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = json.createObjectNode();
    config.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    String start = DateTimeFormatter.ISO_INSTANT.format(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    service(config.putArray("caUrls").addObject(), fulcio.url(), start);
    config.putArray("oidcUrls");
    ArrayNode tlogs = config.putArray("rekorTlogUrls");
    service(tlogs.addObject(), rekor.url(), start);
    // The same log also speaks Rekor v2: KeylessSigner.enableRekorV2(true) picks it (and then needs the TSA).
    service(tlogs.addObject(), rekor.url(), start).put("majorApiVersion", 2);
    service(config.putArray("tsaUrls").addObject(), rekor.timestampUrl(), start);
    config.putObject("rekorTlogConfig").put("selector", "ANY");
    config.putObject("tsaConfig").put("selector", "ANY");
    try {
      Files.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static ObjectNode service(ObjectNode node, String url, String start) {
    node.put("url", url);
    node.put("majorApiVersion", 1);
    node.putObject("validFor").put("start", start);
    node.put("operator", "palisade.test");
    return node;
  }

  @Override
  public void close() {
    fulcio.close();
    rekor.close();
  }
}
