package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.config.AdminConfig.AdminToken;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.lifecycle.GatewayService;
import dev.palisade.gateway.reload.ConfigSource;
import dev.palisade.gateway.server.DrainReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gateway serve --config FILE}: runs until SIGINT/SIGTERM, then drains (see README,
 * "Shutdown"). The config file is watched and reloaded; the admin API starts if configured.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
public final class ServeCommand implements Callable<Integer> {

  /** Where an admin token may come from besides a file; it is hashed at once and not kept. */
  static final String ADMIN_TOKEN_ENV = "PALISADE_ADMIN_TOKEN";

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML config.")
  Path config;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "File holding an admin API token (audit id 'file'). Default: $" + ADMIN_TOKEN_ENV
          + " (audit id 'env').")
  Path adminTokenFile;

  @Mixin SecretOptions secrets;

  @Override
  public Integer call() throws InterruptedException {
    Logging.configure();
    Path file = config;
    ConfigSource source = new ConfigSource() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public GatewayConfig load() {
        return ConfigLoading.load(file, secrets);
      }
    };
    GatewayService service = GatewayService.start(source, adminTokens(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Printed, not logged: the JVM closes java.util.logging in a hook of its own.
      System.err.println("gateway: stopping; draining requests in flight for up to "
          + service.drainTimeout().toMillis() + " ms");
      DrainReport r = service.shutdown();
      System.err.println("gateway: stopped after " + r.took().toMillis() + " ms; " + r.inFlight()
          + " request(s) were in flight, " + r.endedAtDeadline() + " ended at the deadline");
      System.err.flush();
      stopped.countDown();
    }, "gateway-shutdown"));
    stopped.await();
    return ExitCode.OK.code();
  }

  private List<AdminToken> adminTokens() {
    List<AdminToken> out = new ArrayList<>();
    if (adminTokenFile != null) {
      try {
        String token = Files.readString(adminTokenFile, StandardCharsets.UTF_8).strip();
        if (token.length() < 16) {
          throw new GatewayException(ExitCode.CONFIG,
              "--admin-token-file " + adminTokenFile + ": the token must be at least 16 characters");
        }
        out.add(AdminTokens.hashed("file", token));
      } catch (IOException e) {
        throw new GatewayException(ExitCode.CONFIG, "--admin-token-file " + adminTokenFile + ": cannot read: "
            + e.getClass().getSimpleName());
      }
    }
    String env = System.getenv(ADMIN_TOKEN_ENV);
    if (env != null && !env.isBlank()) {
      if (env.strip().length() < 16) {
        throw new GatewayException(ExitCode.CONFIG, "$" + ADMIN_TOKEN_ENV + ": the token must be at least 16 characters");
      }
      out.add(AdminTokens.hashed("env", env.strip()));
    }
    return out;
  }
}
