package dev.palisade.oci.reference;

import dev.palisade.oci.digest.Digest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference, parsed the way Docker parses one: a registry (default {@code docker.io}),
 * a repository (single-component Docker Hub names get {@code library/}), and a tag and/or digest.
 * When both are given the digest wins and the tag is only kept for display.
 *
 * @param registry the registry host as the user wrote it (normalised: {@code docker.io} for Docker Hub)
 * @param repository the repository path, e.g. {@code library/alpine}
 * @param tag the tag, or null when the reference has only a digest; {@code latest} when neither
 * @param digest the digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

  public static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  public ImageReference {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry: " + registry);
    }
    if (repository == null || repository.isEmpty() || repository.length() > 255) {
      throw new IllegalArgumentException("repository must be 1 to 255 characters");
    }
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "repository component '" + component + "' must be lowercase letters, digits and separators");
      }
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag: " + tag);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /** Parses a reference such as {@code alpine}, {@code host:5000/team/app:1.0} or {@code app@sha256:...}. */
  public static ImageReference parse(String text) throws InvalidReferenceException {
    if (text == null || text.isBlank()) {
      throw new InvalidReferenceException(String.valueOf(text), "empty");
    }
    if (text.length() > 1024 || !text.equals(text.strip())) {
      throw new InvalidReferenceException(text, "too long or surrounded by white space");
    }
    try {
      String rest = text;
      Digest digest = null;
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = Digest.parse(rest.substring(at + 1));
        rest = rest.substring(0, at);
      }
      String tag = null;
      int lastSlash = rest.lastIndexOf('/');
      int colon = rest.lastIndexOf(':');
      if (colon > lastSlash) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      String registry = DOCKER_HUB;
      String repository = rest;
      int firstSlash = rest.indexOf('/');
      if (firstSlash > 0) {
        String first = rest.substring(0, firstSlash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
          registry = first;
          repository = rest.substring(firstSlash + 1);
        }
      }
      if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API_HOST)) {
        registry = DOCKER_HUB;
      }
      if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
        repository = "library/" + repository;
      }
      if (!repository.equals(repository.toLowerCase(Locale.ROOT))) {
        throw new InvalidReferenceException(text, "repository names must be lowercase");
      }
      return new ImageReference(registry, repository, tag, digest);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(text, e.getMessage());
    }
  }

  /** The host the registry API is reached at ({@code registry-1.docker.io} for Docker Hub). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
  }

  /** The tag or digest to ask the registry for: the digest when there is one. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** The same repository pinned to a digest (the tag is kept for display). */
  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, tag, newDigest);
  }

  /** The same repository with another tag and no digest. */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /** {@code registry/repository}, the part a trust policy matches on. */
  public String repositoryPath() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(repositoryPath());
    if (tag != null) {
      out.append(':').append(tag);
    }
    if (digest != null) {
      out.append('@').append(digest);
    }
    return out.toString();
  }
}
