package dev.palisade.gateway.quota;

import dev.palisade.gateway.config.StateConfig.OnUnavailable;
import dev.palisade.gateway.state.StateStoreUnavailableException;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Applies {@code state.on_unavailable} to a shared quota store. While the shared store is down,
 * {@link OnUnavailable#FAIL_CLOSED} fails every reservation (the request gets a 503) and
 * {@link OnUnavailable#FAIL_OPEN} reserves in a local in-memory store instead: this replica then
 * enforces the limits alone, so the replicas together may let through up to N times a limit for
 * as long as the outage lasts. Usage counted locally is not copied into Redis afterwards.
 * Reservations remember where they were made and are settled there.
 */
public final class FailoverQuotaStore implements QuotaStore {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.state");
  private static final String LOCAL = "local";

  private final QuotaStore shared;
  private final QuotaStore local;
  private final OnUnavailable policy;
  private final BooleanSupplier sharedUp;
  private final AtomicBoolean servingLocally = new AtomicBoolean();

  /**
   * @param sharedUp false while the shared store is known to be down: calls then skip it (no
   *     wait for a timeout per request) until its health check sees it back
   */
  public FailoverQuotaStore(QuotaStore shared, QuotaStore local, OnUnavailable policy, BooleanSupplier sharedUp) {
    this.shared = shared;
    this.local = local;
    this.policy = policy;
    this.sharedUp = sharedUp;
  }

  /** True while fail_open is serving reservations from the local fallback. */
  public boolean servingLocally() {
    return servingLocally.get();
  }

  @Override
  public Future<Decision> reserve(String consumer, Limits limits, long estimatedTokens) {
    Future<Decision> attempt = sharedUp.getAsBoolean()
        ? shared.reserve(consumer, limits, estimatedTokens)
        : Future.failedFuture(new StateStoreUnavailableException("the state store is unavailable"));
    return attempt
        .onSuccess(d -> {
          if (servingLocally.compareAndSet(true, false)) {
            LOG.info("quotas: the shared state store is back; local fallback no longer used");
          }
        })
        .recover(e -> {
          if (!(e instanceof StateStoreUnavailableException) || policy == OnUnavailable.FAIL_CLOSED) {
            return Future.failedFuture(e);
          }
          if (servingLocally.compareAndSet(false, true)) {
            LOG.warning("quotas: the shared state store is unavailable; on_unavailable=fail_open,"
                + " so this replica enforces limits from its local memory until it is back");
          }
          return local.reserve(consumer, limits, estimatedTokens).map(d ->
              d instanceof Reservation r
                  ? new Reservation(r.consumer(), r.tokens(), r.day(), r.month(), r.minute(), LOCAL)
                  : d);
        });
  }

  @Override
  public Future<Void> settle(Reservation reservation, long actualTokens) {
    return LOCAL.equals(reservation.id())
        ? local.settle(reservation, actualTokens)
        : shared.settle(reservation, actualTokens);
  }

  @Override
  public Future<Usage> usage(String consumer) {
    return shared.usage(consumer);
  }
}
