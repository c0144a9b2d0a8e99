package dev.palisade.gateway.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master keys the gateway knows. Text form, in the environment variable
 * {@value #ENV_VAR} or in a file: one {@code id:base64} entry per line (or comma separated); the
 * first entry encrypts, all of them decrypt. Never read from the config file, so a leaked config
 * does not leak the provider keys with it.
 */
public final class MasterKeyRing {

  public static final String ENV_VAR = "PALISADE_GATEWAY_MASTER_KEY";

  private final Map<String, MasterKey> byId;
  private final MasterKey current;

  private MasterKeyRing(List<MasterKey> keys) {
    if (keys.isEmpty()) {
      throw new SecretException("the master key text holds no key (expected 'id:base64')");
    }
    this.byId = new LinkedHashMap<>();
    for (MasterKey k : keys) {
      if (byId.putIfAbsent(k.id(), k) != null) {
        throw new SecretException("master key id '" + k.id() + "' appears twice");
      }
    }
    this.current = keys.get(0);
  }

  public static MasterKeyRing parse(String text, String source) {
    List<MasterKey> keys = new ArrayList<>();
    for (String entry : text.split("[,\\n]")) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new SecretException(source + ": a master key entry must look like 'id:base64'");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new SecretException(
            source + ": master key '" + trimmed.substring(0, colon) + "' is not valid base64");
      }
      try {
        keys.add(new MasterKey(trimmed.substring(0, colon), raw));
      } catch (SecretException e) {
        throw new SecretException(source + ": " + e.getMessage());
      }
    }
    try {
      return new MasterKeyRing(keys);
    } catch (SecretException e) {
      throw new SecretException(source + ": " + e.getMessage());
    }
  }

  /**
   * The key ring from {@code file} if given, else from the environment; empty when neither is
   * set (fine as long as the config holds no {@code enc:v1:} value).
   */
  public static Optional<MasterKeyRing> load(Path file, Map<String, String> env) {
    if (file != null) {
      try {
        return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
      } catch (IOException e) {
        throw new SecretException("cannot read master key file " + file + ": " + e.getMessage());
      }
    }
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv == null || fromEnv.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(fromEnv, "environment variable " + ENV_VAR));
  }

  public static String generate(String id) {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return new MasterKey(id, raw).id() + ":" + Base64.getEncoder().encodeToString(raw);
  }

  public MasterKey current() {
    return current;
  }

  public Optional<MasterKey> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }
}
