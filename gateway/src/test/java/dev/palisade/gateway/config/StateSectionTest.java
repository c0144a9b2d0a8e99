package dev.palisade.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.secrets.SecretException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code state:} section: defaults, Redis URLs, and errors that name the line. */
class StateSectionTest {

  @TempDir Path dir;

  String config(String state) {
    return ConfigLoaderTest.VALID.formatted(ConfigLoaderTest.HASH).replace("KEYVALUE", "sk-plain") + state;
  }

  GatewayConfig load(String yaml, boolean allowPlaintext) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(new SecretResolver(Optional.empty(), allowPlaintext)).load(file);
  }

  RuntimeException error(String state) throws Exception {
    String yaml = config(state);
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return assertThrows(RuntimeException.class,
        () -> new ConfigLoader(new SecretResolver(Optional.empty(), true)).load(file));
  }

  /** The 1-based line of the config that holds {@code text}. */
  int line(String state, String text) {
    String[] lines = config(state).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text);
  }

  @Test
  void withoutAStateSectionTheStoreIsInMemory() throws Exception {
    assertEquals(StateConfig.MEMORY, load(config(""), true).state());
    assertEquals(StateConfig.MEMORY, load(config("state: {store: memory}\n"), true).state());
  }

  @Test
  void aRedisStoreWithEveryField() throws Exception {
    StateConfig s = load(config("""
        state:
          store: rediss://redis.internal:6380/2
          password: s3cret-pass
          key_prefix: "gw1:"
          on_unavailable: fail_open
        """), true).state();
    assertEquals("rediss://redis.internal:6380/2", s.redis().orElseThrow().toString());
    assertEquals("s3cret-pass", s.password().orElseThrow().reveal());
    assertEquals("gw1:", s.keyPrefix());
    assertEquals(StateConfig.OnUnavailable.FAIL_OPEN, s.onUnavailable());
    assertFalse(s.toString().contains("s3cret-pass"), s.toString());
    assertEquals(StateConfig.DEFAULT_PREFIX,
        load(config("state: {store: 'redis://127.0.0.1:6379'}\n"), true).state().keyPrefix());
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutEchoingThem() throws Exception {
    String state = "state:\n  store: redis://admin:hunter2@10.0.0.5:6379\n";
    RuntimeException e = error(state);
    assertTrue(e.getMessage().contains(":" + line(state, "store:") + ": state.store: credentials"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(error("state:\n  store: redis://:hunter2@10.0.0.5:6379\n").getMessage().contains("hunter2"));
  }

  @Test
  void badValuesNameTheFieldAndTheLine() throws Exception {
    String[][] cases = {
        {"state:\n  store: http://10.0.0.5:6379\n", "store:", "expected 'memory' or redis://"},
        {"state:\n  store: redis://10.0.0.5\n", "store:", "needs a host and a port"},
        {"state:\n  store: redis://10.0.0.5:6379/99\n", "store:", "number from 0 to 15"},
        {"state:\n  store: redis://10.0.0.5:6379?x=1\n", "store:", "no query"},
        {"state:\n  store: redis://10.0.0.5:6379\n  on_unavailable: maybe\n", "on_unavailable", "fail_closed or fail_open"},
        {"state:\n  store: redis://10.0.0.5:6379\n  key_prefix: \"has space\"\n", "key_prefix", "key prefix"},
        {"state:\n  store: memory\n  password: x\n", "password", "only applies to a redis:// store"},
        {"state:\n  stor: memory\n", "stor:", "unknown field"},
    };
    for (String[] c : cases) {
      RuntimeException e = error(c[0]);
      assertTrue(e.getMessage().contains("gateway.yaml:" + line(c[0], c[1]) + ": state."), e.getMessage());
      assertTrue(e.getMessage().contains(c[2]), e.getMessage());
    }
  }

  @Test
  void thePasswordIsResolvedLikeAProviderKey() throws Exception {
    MasterKeyRing ring = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    SecretCipher cipher = new SecretCipher(ring);
    String base = ConfigLoaderTest.VALID.formatted(ConfigLoaderTest.HASH)
        .replace("KEYVALUE", cipher.encrypt("sk-secret"));
    String state = "state:\n  store: redis://10.0.0.5:6379\n  password: PASSWORD\n";
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, base + state.replace("PASSWORD", cipher.encrypt("redis-pass")));
    StateConfig s = new ConfigLoader(new SecretResolver(Optional.of(ring), false)).load(file).state();
    assertEquals("redis-pass", s.password().orElseThrow().reveal());

    Files.writeString(file, base + state.replace("PASSWORD", "plain-pass"));
    SecretException e = assertThrows(SecretException.class,
        () -> new ConfigLoader(new SecretResolver(Optional.of(ring), false)).load(file));
    int line = (base + state).split("\n").length; // the password is the last line
    assertTrue(e.getMessage().contains(":" + line + ": state.password"), e.getMessage());
    assertFalse(e.getMessage().contains("plain-pass"));
  }
}
