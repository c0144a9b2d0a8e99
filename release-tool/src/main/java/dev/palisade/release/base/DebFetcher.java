package dev.palisade.release.base;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gets pinned .deb files: from a local directory (air-gapped machines), from the cache, or from a
 * mirror; every file is checked against its pinned size and SHA-256 before it is used, wherever it
 * came from, so a mirror or a cache can never change what goes into the base.
 */
public final class DebFetcher {

  private final Path cacheDir;
  private final Path localDir;
  private final List<URI> mirrors;
  private final Consumer<ReleaseEvent> events;
  private final HttpClient http;

  /**
   * @param cacheDir verified downloads are kept here, named by their SHA-256
   * @param localDir optional directory of pre-downloaded .deb files (looked up by file name, see
   *     {@link #candidateNames})
   */
  public DebFetcher(Path cacheDir, Path localDir, List<URI> mirrors, Consumer<ReleaseEvent> events) {
    this.cacheDir = cacheDir;
    this.localDir = localDir;
    this.mirrors = List.copyOf(mirrors);
    this.events = events;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** A verified local copy of the package. */
  public Path fetch(DebianPackage pkg) throws ReleaseException {
    Path cached = cacheDir.resolve(pkg.sha256() + ".deb");
    if (Files.isRegularFile(cached) && matches(cached, pkg)) {
      return cached;
    }
    try {
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot create cache directory " + cacheDir + ": " + e.getMessage(), e);
    }
    if (localDir != null) {
      Path local = fromLocalDir(pkg);
      if (local != null) {
        return local;
      }
    }
    List<String> failures = new ArrayList<>();
    for (URI mirror : mirrors) {
      URI url = mirror.resolve(pkg.path());
      events.accept(new ReleaseEvent("base", "downloading " + url));
      try {
        Path part = Files.createTempFile(cacheDir, pkg.name(), ".part");
        try {
          String problem = download(url, part, pkg);
          if (problem == null) {
            Files.move(part, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cached;
          }
          failures.add(url + ": " + problem);
        } finally {
          Files.deleteIfExists(part);
        }
      } catch (IOException e) {
        failures.add(url + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReleaseException(Failure.IO, "interrupted while downloading " + pkg.name());
      }
    }
    throw new ReleaseException(Failure.BASE_IMAGE, "cannot get " + pkg.name() + " " + pkg.version()
        + " with the pinned SHA-256:\n  " + String.join("\n  ", failures)
        + (localDir == null ? "\n(on a machine without a mirror, pass --deb-dir with the .deb files)" : ""));
  }

  /** Null when the download matched the pin, else what was wrong. */
  private String download(URI url, Path target, DebianPackage pkg)
      throws IOException, InterruptedException, ReleaseException {
    HttpResponse<InputStream> response = http.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        return "HTTP " + response.statusCode();
      }
      try (OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      }
    }
    if (!matches(target, pkg)) {
      return "content does not match the pinned size and SHA-256 (the mirror may have superseded the version)";
    }
    return null;
  }

  static boolean matches(Path file, DebianPackage pkg) throws ReleaseException {
    try {
      if (Files.size(file) != pkg.size()) {
        return false;
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest()).equals(pkg.sha256());
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The package from {@code --deb-dir}, or null when no file there has the pinned checksum. Every
   * name the file could have is tried, since the checksum decides: the pool file name as it is on
   * disk ({@code libstdc++6_12.2.0-14+deb12u1_amd64.deb}, which is what {@code apt-get download}
   * and a mirror copy save; the pin's path is URL-encoded, {@code %2b} for {@code +}, {@code %7e}
   * for {@code ~}), the name with the epoch that {@code apt-get download} writes as {@code %3a},
   * and the cache's {@code SHA256.deb}, so a cache directory works as a deb directory too.
   */
  private Path fromLocalDir(DebianPackage pkg) throws ReleaseException {
    List<String> wrong = new ArrayList<>();
    for (String name : candidateNames(pkg)) {
      Path local = localDir.resolve(name);
      if (Files.isRegularFile(local)) {
        if (matches(local, pkg)) {
          return local;
        }
        wrong.add(local.toString());
      }
    }
    if (!wrong.isEmpty()) {
      throw new ReleaseException(Failure.BASE_IMAGE, String.join(", ", wrong) + " does not match the pinned size and"
          + " SHA-256 of " + pkg.name() + " " + pkg.version());
    }
    events.accept(new ReleaseEvent("base", pkg.name() + ": not in " + localDir + " (looked for "
        + String.join(", ", candidateNames(pkg)) + ")"));
    return null;
  }

  static List<String> candidateNames(DebianPackage pkg) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    String encoded = pkg.path().substring(pkg.path().lastIndexOf('/') + 1);
    names.add(java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
    names.add(encoded);
    String version = pkg.version();
    names.add(pkg.name() + "_" + version.replace(":", "%3a") + "_" + pkg.architecture() + ".deb");
    int colon = version.indexOf(':');
    names.add(pkg.name() + "_" + (colon < 0 ? version : version.substring(colon + 1)) + "_" + pkg.architecture()
        + ".deb");
    names.add(pkg.sha256() + ".deb");
    return List.copyOf(names);
  }
}
