package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.keypool.InMemoryKeyStateStore;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.quota.InMemoryQuotaStore;
import dev.palisade.gateway.server.GatewayRuntime;
import dev.palisade.gateway.server.GatewayServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gateway serve --config FILE}: runs until SIGINT/SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML config.")
  Path config;

  @Mixin SecretOptions secrets;

  @Override
  public Integer call() throws InterruptedException {
    Logging.configure();
    GatewayConfig loaded = ConfigLoading.load(config, secrets);
    GatewayRuntime runtime =
        new GatewayRuntime(loaded, new InMemoryQuotaStore(Clock.systemUTC()),
            new InMemoryKeyStateStore(), new GatewayMetrics(), Clock.systemUTC());
    GatewayServer server = GatewayServer.start(runtime);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "gateway-shutdown"));
    stopped.await();
    return ExitCode.OK.code();
  }
}
