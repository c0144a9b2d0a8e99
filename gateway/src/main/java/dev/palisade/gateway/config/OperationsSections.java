package dev.palisade.gateway.config;

import dev.palisade.gateway.config.AdminConfig.AdminToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parses the {@code admin} and {@code lifecycle} sections (kept out of ConfigLoader's core). */
final class OperationsSections {

  private OperationsSections() {}

  static AdminConfig admin(YamlNode node) {
    YamlNode.Fields f = node.fields(Set.of("host", "port", "tokens", "audit_log"));
    String host = f.optional("host").map(YamlNode::nonBlankText).orElse("127.0.0.1");
    int port = f.optional("port").map(n -> n.intValue(0, 65535)).orElse(9090);
    List<AdminToken> tokens = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    if (f.has("tokens")) {
      for (YamlNode t : f.required("tokens").items()) {
        YamlNode.Fields tf = t.fields(Set.of("id", "sha256"));
        String id = tf.required("id").nonBlankText();
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
          throw tf.required("id").error("token ids are 1-64 letters, digits, '_', '.', '-'");
        }
        if (!ids.add(id)) {
          throw t.error("admin token id '" + id + "' is used twice");
        }
        YamlNode hashNode = tf.required("sha256");
        String hash = hashNode.nonBlankText().toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{64}")) {
          throw hashNode.error("expected the SHA-256 of the admin token as 64 hex characters,"
              + " never the token itself (`printf %s \"$TOKEN\" | sha256sum`)");
        }
        tokens.add(new AdminToken(id, hash));
      }
    }
    Path audit = Path.of(f.required("audit_log").nonBlankText());
    return new AdminConfig(host, port, tokens, audit);
  }

  static LifecycleConfig lifecycle(YamlNode node) {
    YamlNode.Fields f = node.fields(Set.of("drain_timeout", "watch_config", "poll_interval", "debounce"));
    LifecycleConfig d = LifecycleConfig.DEFAULT;
    YamlNode where = f.owner();
    try {
      return new LifecycleConfig(
          f.optional("drain_timeout").map(YamlNode::duration).orElse(d.drainTimeout()),
          f.optional("watch_config").map(YamlNode::booleanValue).orElse(d.watchConfig()),
          f.optional("poll_interval").map(YamlNode::duration).orElse(d.pollInterval()),
          f.optional("debounce").map(YamlNode::duration).orElse(d.debounce()));
    } catch (IllegalArgumentException e) {
      throw where.error(e.getMessage());
    }
  }
}
