package dev.palisade.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.GatewayMain;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's exit codes and messages (see ExitCode and the README). */
class CliTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GatewayMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static void assertNoStackTrace(Run r) {
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  String config(String keyValue) {
    return """
        providers:
          - name: p
            protocol: openai
            base_url: http://127.0.0.1:9/v1
            keys: [{id: k1, value: "%s"}]
        routes:
          - {match: "*", targets: [{provider: p}]}
        consumers:
          - {name: c, key_sha256: %s, models: ["*"]}
        """.formatted(keyValue, "b".repeat(64));
  }

  @Test
  void configCheckReportsTheLineAndExits3() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, config("sk-x").replace("protocol: openai", "protocol: grpc"));
    Run r = run("config", "check", "--allow-plaintext-secrets", file.toString());
    assertEquals(3, r.code());
    assertEquals("gateway: " + file + ":3: providers[0].protocol: expected one of openai, azure-openai, anthropic, got 'grpc'\n", r.err());
    assertNoStackTrace(r);
    Run missing = run("config", "check", dir.resolve("nope.yaml").toString());
    assertEquals(3, missing.code());
    assertTrue(missing.err().contains("no such file"), missing.err());
  }

  @Test
  void encryptReadsStdinAndTheConfigChecksWithTheSameMasterKey() throws Exception {
    Path masterKey = dir.resolve("master.key");
    Files.writeString(masterKey, MasterKeyRing.generate("prod1") + "\n");
    SecretsCommand.Encrypt.stdin = new ByteArrayInputStream("sk-live-abc\n".getBytes(StandardCharsets.UTF_8));
    Run enc = run("secrets", "encrypt", "--master-key-file", masterKey.toString());
    assertEquals(0, enc.code(), enc.err());
    String value = enc.out().strip();
    assertTrue(value.startsWith("enc:v1:prod1:"), value);
    assertEquals("sk-live-abc",
        new SecretCipher(MasterKeyRing.load(masterKey, java.util.Map.of()).orElseThrow()).decrypt(value).reveal());

    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, config(value));
    Run ok = run("config", "check", "--master-key-file", masterKey.toString(), file.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("OK (1 providers, 1 routes, 1 consumers)"), ok.out());

    Path otherKey = dir.resolve("other.key");
    Files.writeString(otherKey, MasterKeyRing.generate("prod1"));
    Run wrong = run("config", "check", "--master-key-file", otherKey.toString(), file.toString());
    assertEquals(4, wrong.code());
    assertEquals("gateway: " + file + ":5: providers[0].keys[0].value: does not decrypt with master key 'prod1':"
        + " wrong master key or a corrupted value\n", wrong.err());
    assertNoStackTrace(wrong);
  }

  @Test
  void plaintextIsRefusedWithExit4AndEmptyStdinIsAnError() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, config("sk-plain-secret"));
    Run r = run("config", "check", file.toString());
    assertEquals(4, r.code());
    assertFalse(r.err().contains("sk-plain-secret"), r.err());
    Path masterKey = dir.resolve("master.key");
    Files.writeString(masterKey, MasterKeyRing.generate("k1"));
    SecretsCommand.Encrypt.stdin = new ByteArrayInputStream(new byte[0]);
    Run empty = run("secrets", "encrypt", "--master-key-file", masterKey.toString());
    assertEquals(4, empty.code());
    assertTrue(empty.err().contains("stdin is empty"), empty.err());
    Run noKeyFile = run("secrets", "encrypt", "--master-key-file", dir.resolve("absent").toString());
    assertEquals(4, noKeyFile.code());
    assertTrue(noKeyFile.err().startsWith("gateway: cannot read master key file"), noKeyFile.err());
  }

  @Test
  void serveOnATakenPortExits5AndBadUsageExits2() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path file = dir.resolve("gateway.yaml");
      Files.writeString(file, "server: {host: 127.0.0.1, port: " + taken.getLocalPort() + "}\n" + config("sk-x"));
      Run r = run("serve", "--config", file.toString(), "--allow-plaintext-secrets");
      assertEquals(5, r.code());
      assertTrue(r.err().startsWith("gateway: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
      assertNoStackTrace(r);
    }
    assertEquals(2, run("serve").code(), "--config is required");
    assertEquals(2, run("frobnicate").code());
  }

  @Test
  void consumerKeyPrintsAKeyAndItsHash() {
    Run r = run("consumer-key");
    assertEquals(0, r.code());
    String key = r.out().lines().filter(l -> l.startsWith("key:")).findFirst().orElseThrow().substring(4).strip();
    String hash = r.out().lines().filter(l -> l.startsWith("key_sha256:")).findFirst().orElseThrow().substring(11).strip();
    assertEquals(dev.palisade.gateway.consumer.ConsumerKeys.sha256Hex(key), hash);
  }
}
