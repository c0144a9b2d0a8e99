package dev.palisade.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.digest.BlobIntegrityException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.digest.VerifyingInputStream;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageIndex;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.Manifest;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.redact.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A client for one registry over the OCI distribution API. Every manifest is checked against the
 * digest it was asked for (or the registry's digest header), every blob against its descriptor
 * while it streams.
 */
public final class RegistryClient implements Closeable {

  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_TAG_LIST = 4 * 1024 * 1024;

  private final RegistryTransport transport;
  private final Consumer<RegistryEvent> events;

  private RegistryClient(RegistryTransport transport, Consumer<RegistryEvent> events) {
    this.transport = transport;
    this.events = events;
  }

  /**
   * @param registry the registry as written in image references ({@code docker.io}, {@code
   *     ghcr.io}, {@code 127.0.0.1:5000}); credentials are looked up under this name
   */
  public static Builder builder(String registry) {
    return new Builder(registry);
  }

  /** Configures a client; nothing is sent until the first call. */
  public static final class Builder {
    private final String registry;
    private String apiHost;
    private boolean plainHttp;
    private CredentialProvider credentials = CredentialProvider.none();
    private SSLContext sslContext;
    private RegistryTimeouts timeouts = RegistryTimeouts.DEFAULT;
    private String userAgent = "palisade";
    private Consumer<RegistryEvent> events = event -> {};

    private Builder(String registry) {
      this.registry = registry;
      this.apiHost = "docker.io".equals(registry) ? "registry-1.docker.io" : registry;
    }

    /** The host the API is served from when it differs from the registry's name. */
    public Builder apiHost(String host) {
      this.apiHost = host;
      return this;
    }

    /** Plain HTTP: only for a registry the user explicitly named as insecure. */
    public Builder plainHttp(boolean plain) {
      this.plainHttp = plain;
      return this;
    }

    public Builder credentials(CredentialProvider provider) {
      this.credentials = provider;
      return this;
    }

    /** Trust for a registry with a private CA; null keeps the JDK's default trust. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    public Builder timeouts(RegistryTimeouts newTimeouts) {
      this.timeouts = newTimeouts;
      return this;
    }

    public Builder userAgent(String agent) {
      this.userAgent = agent;
      return this;
    }

    public Builder events(Consumer<RegistryEvent> handler) {
      this.events = handler;
      return this;
    }

    public RegistryClient build() {
      RegistryEndpoint endpoint = new RegistryEndpoint(apiHost, plainHttp);
      return new RegistryClient(
          new RegistryTransport(endpoint, registry, credentials, sslContext, timeouts, userAgent, events),
          events);
    }
  }

  /** Checks the registry speaks the v2 API and that our credentials (if any) are accepted. */
  public void ping() throws RegistryException {
    try (RegistryResponse response = transport.send(RegistryRequest.get(uri("/v2/"), null, Map.of()))) {
      if (response.status() != 200) {
        throw unexpected(response, "GET /v2/");
      }
    } catch (IOException e) {
      throw new RegistryConnectionException("closing response failed", e);
    }
  }

  /**
   * Fetches a manifest or index by tag or digest.
   *
   * @param reference a tag, or a digest in {@code sha256:...} form
   */
  public ManifestDocument getManifest(String repository, String reference) throws RegistryException {
    checkRepository(repository);
    String what = repository + ":" + reference;
    try (RegistryResponse response = transport.send(RegistryRequest.get(
        manifestUri(repository, reference), pullScope(repository), Map.of("Accept", MediaTypes.MANIFEST_ACCEPT)))) {
      if (response.status() == 404) {
        throw new RegistryNotFoundException(
            "manifest " + what + " not found on " + transport.endpoint().host() + errorDetail(response));
      }
      if (response.status() != 200) {
        throw unexpected(response, "GET manifest " + what);
      }
      byte[] bytes;
      try {
        bytes = response.bodyBytes(Json.MAX_DOCUMENT_BYTES);
      } catch (IOException e) {
        throw new RegistryProtocolException("manifest " + what + ": " + e.getMessage(), e);
      }
      Digest actual = Digest.sha256(bytes);
      if (Digest.isDigest(reference) && !Digest.parse(reference).equals(actual)) {
        throw new RegistryProtocolException(
            "manifest " + what + " has content digest " + actual + ", not the digest asked for");
      }
      String headerDigest = response.header("Docker-Content-Digest");
      if (headerDigest != null && Digest.isDigest(headerDigest)
          && Digest.parse(headerDigest).algorithm().equals("sha256") && !Digest.parse(headerDigest).equals(actual)) {
        throw new RegistryProtocolException(
            "manifest " + what + ": Docker-Content-Digest " + headerDigest + " contradicts the content digest " + actual);
      }
      String contentType = response.header("Content-Type");
      Manifest manifest = ManifestParser.parse(bytes, contentType, "manifest " + what);
      return new ManifestDocument(bytes, actual, manifest.mediaType(), manifest);
    } catch (ManifestFormatException e) {
      throw new RegistryProtocolException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryConnectionException("reading manifest " + what + " failed: " + e.getMessage(), e);
    }
  }

  /** HEAD of a manifest: its digest, size and media type without the body; empty when absent. */
  public Optional<Descriptor> headManifest(String repository, String reference) throws RegistryException {
    checkRepository(repository);
    try (RegistryResponse response = transport.send(RegistryRequest.head(
        manifestUri(repository, reference), pullScope(repository), Map.of("Accept", MediaTypes.MANIFEST_ACCEPT)))) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      if (response.status() != 200) {
        throw unexpected(response, "HEAD manifest " + repository + ":" + reference);
      }
      String digest = response.header("Docker-Content-Digest");
      String length = response.header("Content-Length");
      String type = response.header("Content-Type");
      if (digest == null || !Digest.isDigest(digest) || length == null || type == null) {
        // Some registries omit the digest on HEAD; the caller can fall back to GET.
        return Optional.empty();
      }
      return Optional.of(Descriptor.of(stripParameters(type), Digest.parse(digest), Long.parseLong(length.trim())));
    } catch (NumberFormatException e) {
      throw new RegistryProtocolException("registry sent an invalid Content-Length for " + repository + ":" + reference);
    } catch (IOException e) {
      throw new RegistryConnectionException("HEAD manifest failed: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a blob as a stream that verifies size and digest as it is read: a mismatch surfaces as
   * {@link BlobIntegrityException} (an IOException) at the latest at end-of-stream. The caller
   * closes it.
   */
  public InputStream openBlob(String repository, Descriptor descriptor) throws RegistryException {
    checkRepository(repository);
    Digest digest = descriptor.digest();
    RegistryResponse response = transport.send(RegistryRequest.get(
        uri("/v2/" + repository + "/blobs/" + digest), pullScope(repository), Map.of()));
    boolean handedOver = false;
    try {
      if (response.status() == 404) {
        throw new RegistryNotFoundException(
            "blob " + digest + " not found in " + repository + " on " + transport.endpoint().host() + errorDetail(response));
      }
      if (response.status() != 200) {
        throw unexpected(response, "GET blob " + digest);
      }
      String length = response.header("Content-Length");
      if (length != null && !length.trim().equals(Long.toString(descriptor.size()))) {
        throw new RegistryProtocolException(
            "blob " + digest + ": registry announces " + length.trim() + " bytes, the descriptor says " + descriptor.size());
      }
      InputStream body = response.body();
      InputStream verified = new VerifyingInputStream(body, digest, descriptor.size());
      handedOver = true;
      return new FilterInputStream(verified) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            response.close();
          }
        }
      };
    } catch (IOException e) {
      throw new RegistryConnectionException("reading blob " + digest + " failed: " + e.getMessage(), e);
    } finally {
      if (!handedOver) {
        RegistryTransport.closeQuietly(response);
      }
    }
  }

  /** Reads a small blob (a config, a bundle) whole, verified; refuses blobs over {@code limit}. */
  public byte[] getBlob(String repository, Descriptor descriptor, int limit) throws RegistryException {
    if (descriptor.size() > limit) {
      throw new RegistryProtocolException(
          "blob " + descriptor.digest() + " declares " + descriptor.size() + " bytes, over the limit of " + limit);
    }
    try (InputStream in = openBlob(repository, descriptor)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) descriptor.size());
      in.transferTo(out);
      return out.toByteArray();
    } catch (BlobIntegrityException e) {
      throw new RegistryProtocolException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryConnectionException("reading blob " + descriptor.digest() + " failed: " + e.getMessage(), e);
    }
  }

  public boolean blobExists(String repository, Digest digest) throws RegistryException {
    checkRepository(repository);
    try (RegistryResponse response = transport.send(RegistryRequest.head(
        uri("/v2/" + repository + "/blobs/" + digest), pushScope(repository), Map.of()))) {
      if (response.status() == 200) {
        return true;
      }
      if (response.status() == 404) {
        return false;
      }
      throw unexpected(response, "HEAD blob " + digest);
    } catch (IOException e) {
      throw new RegistryConnectionException("HEAD blob failed: " + e.getMessage(), e);
    }
  }

  /** Uploads a blob from bytes unless the registry already has it. */
  public void pushBlob(String repository, Digest digest, byte[] content) throws RegistryException {
    pushBlob(repository, digest, content, null);
  }

  /** Uploads a blob from a file unless the registry already has it. */
  public void pushBlob(String repository, Digest digest, Path file) throws RegistryException {
    pushBlob(repository, digest, null, file);
  }

  private void pushBlob(String repository, Digest digest, byte[] content, Path file) throws RegistryException {
    if (blobExists(repository, digest)) {
      events.accept(new RegistryEvent(RegistryEvent.Kind.BLOB_EXISTS, "blob " + digest + " already in " + repository));
      return;
    }
    URI location;
    try (RegistryResponse start = transport.send(new RegistryRequest(
        "POST", uri("/v2/" + repository + "/blobs/uploads/"), Map.of(), new byte[0], null, pushScope(repository)))) {
      if (start.status() != 202 || start.header("Location") == null) {
        throw unexpected(start, "POST blob upload to " + repository);
      }
      location = start.uri().resolve(start.header("Location"));
    } catch (IOException e) {
      throw new RegistryConnectionException("starting blob upload failed: " + e.getMessage(), e);
    }
    String query = location.getRawQuery();
    URI put = URI.create(location.toString() + (query == null ? "?" : "&") + "digest=" + digest);
    try (RegistryResponse done = transport.send(new RegistryRequest(
        "PUT", put, Map.of("Content-Type", "application/octet-stream"), content, file, pushScope(repository)))) {
      if (done.status() != 201) {
        throw unexpected(done, "PUT blob " + digest);
      }
      events.accept(new RegistryEvent(RegistryEvent.Kind.BLOB_UPLOADED, "blob " + digest + " uploaded to " + repository));
    } catch (IOException e) {
      throw new RegistryConnectionException("finishing blob upload failed: " + e.getMessage(), e);
    }
  }

  /**
   * Pushes a manifest under a tag or its digest.
   *
   * @return the digest and whether the registry took note of the manifest's subject (the {@code
   *     OCI-Subject} header: it serves the referrers API and no fallback tag is needed)
   */
  public PushedManifest putManifest(String repository, String reference, byte[] bytes, String mediaType)
      throws RegistryException {
    checkRepository(repository);
    Digest digest = Digest.sha256(bytes);
    try (RegistryResponse response = transport.send(new RegistryRequest(
        "PUT", manifestUri(repository, reference), Map.of("Content-Type", mediaType), bytes, null, pushScope(repository)))) {
      if (response.status() != 201) {
        throw unexpected(response, "PUT manifest " + repository + ":" + reference);
      }
      events.accept(new RegistryEvent(RegistryEvent.Kind.MANIFEST_PUSHED, repository + ":" + reference + " -> " + digest));
      return new PushedManifest(digest, response.header("OCI-Subject") != null);
    } catch (IOException e) {
      throw new RegistryConnectionException("PUT manifest failed: " + e.getMessage(), e);
    }
  }

  /** What a manifest push produced. */
  public record PushedManifest(Digest digest, boolean subjectAccepted) {}

  /**
   * The manifests that refer to {@code subject}: from the referrers API where the registry has one,
   * else from the {@code sha256-<hex>} fallback tag (empty when neither exists).
   *
   * @param artifactType only referrers of this type, or null for all
   */
  public List<Descriptor> referrers(String repository, Digest subject, String artifactType) throws RegistryException {
    checkRepository(repository);
    String path = "/v2/" + repository + "/referrers/" + subject
        + (artifactType == null ? "" : "?artifactType=" + java.net.URLEncoder.encode(artifactType, java.nio.charset.StandardCharsets.UTF_8));
    try (RegistryResponse response = transport.send(RegistryRequest.get(
        uri(path), pullScope(repository), Map.of("Accept", MediaTypes.OCI_INDEX)))) {
      if (response.status() == 200) {
        Manifest parsed = ManifestParser.parse(response.bodyBytes(Json.MAX_DOCUMENT_BYTES), MediaTypes.OCI_INDEX,
            "referrers of " + subject);
        if (parsed instanceof ImageIndex index) {
          return filter(index.manifests(), artifactType);
        }
        throw new RegistryProtocolException("referrers API of " + transport.endpoint().host() + " did not return an index");
      }
      if (response.status() != 404 && response.status() != 400 && response.status() != 405) {
        throw unexpected(response, "GET referrers of " + subject);
      }
    } catch (ManifestFormatException e) {
      throw new RegistryProtocolException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryConnectionException("GET referrers failed: " + e.getMessage(), e);
    }
    events.accept(new RegistryEvent(RegistryEvent.Kind.REFERRERS_FALLBACK,
        transport.endpoint().host() + " has no referrers API; reading tag " + subject.toTagForm()));
    try {
      ManifestDocument fallback = getManifest(repository, subject.toTagForm());
      if (fallback.manifest() instanceof ImageIndex index) {
        return filter(index.manifests(), artifactType);
      }
      throw new RegistryProtocolException("fallback tag " + subject.toTagForm() + " is not an index");
    } catch (RegistryNotFoundException e) {
      return List.of();
    }
  }

  private static List<Descriptor> filter(List<Descriptor> descriptors, String artifactType) {
    if (artifactType == null) {
      return descriptors;
    }
    List<Descriptor> matching = new ArrayList<>();
    for (Descriptor descriptor : descriptors) {
      if (artifactType.equals(descriptor.artifactType())) {
        matching.add(descriptor);
      }
    }
    return matching;
  }

  /** The repository's tags, in the registry's order. */
  public List<String> listTags(String repository) throws RegistryException {
    checkRepository(repository);
    try (RegistryResponse response = transport.send(RegistryRequest.get(
        uri("/v2/" + repository + "/tags/list"), pullScope(repository), Map.of()))) {
      if (response.status() == 404) {
        throw new RegistryNotFoundException("repository " + repository + " not found on " + transport.endpoint().host());
      }
      if (response.status() != 200) {
        throw unexpected(response, "GET tags of " + repository);
      }
      JsonNode root = Json.parse(response.bodyBytes(MAX_TAG_LIST), "tag list of " + repository);
      List<String> tags = new ArrayList<>();
      for (JsonNode tag : root.path("tags")) {
        if (tag.isTextual()) {
          tags.add(tag.textValue());
        }
      }
      return tags;
    } catch (ManifestFormatException e) {
      throw new RegistryProtocolException(e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryConnectionException("GET tags failed: " + e.getMessage(), e);
    }
  }

  private URI uri(String path) {
    return transport.endpoint().resolve(path);
  }

  private URI manifestUri(String repository, String reference) throws RegistryException {
    if (!Digest.isDigest(reference) && !reference.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new RegistryProtocolException("invalid tag or digest: " + Redactor.text(reference));
    }
    return uri("/v2/" + repository + "/manifests/" + reference);
  }

  private static void checkRepository(String repository) throws RegistryException {
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw new RegistryProtocolException("invalid repository name: " + Redactor.text(String.valueOf(repository)));
    }
  }

  private static String pullScope(String repository) {
    return "repository:" + repository + ":pull";
  }

  private static String pushScope(String repository) {
    return "repository:" + repository + ":pull,push";
  }

  private static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private RegistryException unexpected(RegistryResponse response, String what) {
    int status = response.status();
    String message = "registry " + transport.endpoint().host() + " answered " + status + " to " + what + errorDetail(response);
    if (status == 401 || status == 403) {
      return new RegistryAuthenticationException(message);
    }
    if (status == 404) {
      return new RegistryNotFoundException(message);
    }
    return new RegistryProtocolException(message);
  }

  /** The distribution API's error codes and messages, redacted and short. */
  private static String errorDetail(RegistryResponse response) {
    try {
      byte[] body = response.bodyBytes(MAX_ERROR_BODY);
      if (body.length == 0) {
        return "";
      }
      JsonNode root = Json.parse(body, "error body");
      StringBuilder detail = new StringBuilder();
      for (JsonNode error : root.path("errors")) {
        detail.append(detail.length() == 0 ? " (" : "; ")
            .append(error.path("code").asText("")).append(' ').append(error.path("message").asText(""));
      }
      if (detail.length() == 0) {
        return "";
      }
      String text = Redactor.text(detail.append(')').toString());
      return text.length() > 300 ? text.substring(0, 300) + "...)" : text;
    } catch (IOException | ManifestFormatException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }
}
