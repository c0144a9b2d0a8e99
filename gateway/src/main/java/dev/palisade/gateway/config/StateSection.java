package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code state:} section. Its own class so the rest of {@link ConfigLoader} stays as
 * it is. The Redis URL is never echoed back in an error: a mistyped one may hold a password.
 */
final class StateSection {

  private StateSection() {}

  static StateConfig parse(YamlNode node, SecretResolver secrets) {
    YamlNode.Fields f = node.fields(Set.of("store", "password", "key_prefix", "on_unavailable"));
    Optional<URI> redis = f.optional("store").flatMap(StateSection::store);
    Optional<Secret> password = f.optional("password").map(n -> secrets.resolve(n, "Redis password"));
    if (password.isPresent() && redis.isEmpty()) {
      throw f.required("password").error("a password only applies to a redis:// store");
    }
    String prefix = f.optional("key_prefix").map(StateSection::prefix).orElse(StateConfig.DEFAULT_PREFIX);
    StateConfig.OnUnavailable policy =
        f.optional("on_unavailable").map(StateSection::policy).orElse(StateConfig.OnUnavailable.FAIL_CLOSED);
    return new StateConfig(redis, password, prefix, policy);
  }

  private static Optional<URI> store(YamlNode node) {
    String raw = node.nonBlankText();
    if (raw.equals("memory")) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw node.error("expected 'memory' or redis://HOST:PORT[/DB] (rediss:// for TLS); this is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw node.error("expected 'memory' or redis://HOST:PORT[/DB] (rediss:// for TLS)");
    }
    if (uri.getRawUserInfo() != null || raw.substring(scheme.length()).contains("@")) {
      throw node.error("credentials inside the Redis URL are refused (they would end up in logs);"
          + " put the password in 'state.password' as an enc:v1: value");
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw node.error("the Redis URL needs a host and a port: redis://HOST:PORT[/DB]");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw node.error("the Redis URL takes no query or fragment: redis://HOST:PORT[/DB]");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.isEmpty() && !path.equals("/") && !path.matches("/(\\d|1[0-5])")) {
      throw node.error("the database after the port must be a number from 0 to 15: redis://HOST:PORT/DB");
    }
    return Optional.of(uri);
  }

  private static String prefix(YamlNode node) {
    String raw = node.text();
    if (!raw.matches("[A-Za-z0-9_.:{}-]{0,64}")) {
      throw node.error("a key prefix is at most 64 letters, digits or '_', '.', ':', '-', '{', '}'");
    }
    return raw;
  }

  private static StateConfig.OnUnavailable policy(YamlNode node) {
    return switch (node.nonBlankText()) {
      case "fail_closed" -> StateConfig.OnUnavailable.FAIL_CLOSED;
      case "fail_open" -> StateConfig.OnUnavailable.FAIL_OPEN;
      default -> throw node.error("expected fail_closed or fail_open, got '" + node.text() + "'");
    };
  }
}
