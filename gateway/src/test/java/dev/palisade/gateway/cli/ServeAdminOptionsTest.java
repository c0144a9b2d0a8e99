package dev.palisade.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.GatewayMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `serve` refuses an admin API it cannot protect, before serving anything. */
class ServeAdminOptionsTest {

  @TempDir Path dir;

  String[] err = {""};

  int serve(String... extra) throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        admin: {port: 0, audit_log: %s}
        lifecycle: {watch_config: false}
        providers:
          - {name: p, protocol: openai, base_url: "http://127.0.0.1:1/v1", keys: [{id: k, value: plain-key-000}]}
        routes:
          - {match: "*", targets: [{provider: p}]}
        consumers:
          - {name: c, key_sha256: %s, models: ["*"]}
        """.formatted(dir.resolve("audit.jsonl"), "d".repeat(64)));
    StringWriter out = new StringWriter();
    StringWriter errors = new StringWriter();
    CommandLine cli = GatewayMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(errors, true));
    String[] args = new String[3 + extra.length];
    args[0] = "serve";
    args[1] = "--config=" + config;
    args[2] = "--allow-plaintext-secrets";
    System.arraycopy(extra, 0, args, 3, extra.length);
    int code = cli.execute(args);
    err[0] = errors.toString();
    return code;
  }

  @Test
  void anAdminSectionWithoutAnyTokenIsAConfigError() throws Exception {
    // Assumes $PALISADE_ADMIN_TOKEN is not set in the test environment (CI does not set it).
    assertEquals(null, System.getenv("PALISADE_ADMIN_TOKEN"), "unset PALISADE_ADMIN_TOKEN for this test");
    assertEquals(3, serve());
    assertTrue(err[0].contains("the admin API is configured but has no token"), err[0]);
    assertFalse(err[0].contains("\tat "), err[0]);
  }

  @Test
  void aShortOrMissingTokenFileIsRefusedWithoutEchoingIt() throws Exception {
    Path token = dir.resolve("admin-token");
    Files.writeString(token, "short-secret\n");
    assertEquals(3, serve("--admin-token-file=" + token));
    assertTrue(err[0].contains("--admin-token-file " + token + ": the token must be at least 16 characters"), err[0]);
    assertFalse(err[0].contains("short-secret"), err[0]);
    assertEquals(3, serve("--admin-token-file=" + dir.resolve("missing")));
    assertTrue(err[0].contains("cannot read: NoSuchFileException"), err[0]);
  }
}
