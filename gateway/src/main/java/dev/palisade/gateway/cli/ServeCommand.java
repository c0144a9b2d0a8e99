package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.server.GatewayRuntime;
import dev.palisade.gateway.server.GatewayServer;
import dev.palisade.gateway.state.StateStores;
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
    // Once per process: a reload reuses these stores (and their Redis connections).
    StateStores stores = StateStores.open(loaded.state(), Clock.systemUTC());
    GatewayMetrics metrics = new GatewayMetrics();
    stores.bindMetrics(metrics);
    GatewayRuntime runtime =
        new GatewayRuntime(loaded, stores.quotas(), stores.keyStates(), metrics, Clock.systemUTC());
    GatewayServer server = GatewayServer.start(runtime);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stores.close();
      stopped.countDown();
    }, "gateway-shutdown"));
    stopped.await();
    return ExitCode.OK.code();
  }
}
