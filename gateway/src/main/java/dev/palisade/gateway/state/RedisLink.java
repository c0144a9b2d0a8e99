package dev.palisade.gateway.state;

import dev.palisade.gateway.config.StateConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One pipelined connection to Redis, shared by the quota and key-state stores of a process.
 *
 * <p>Every call has a deadline ({@link #timeout}); a call that misses it fails with
 * {@link StateStoreUnavailableException} and the connection is dropped, so a Redis that hangs
 * cannot hold requests. A lost connection is re-opened by the next call (and by a once-a-second
 * ping while Redis is down), so the link recovers by itself when Redis comes back. Results are
 * handed back on the caller's Vert.x context: the gateway's handlers are not thread-safe and
 * Redis answers on this link's own event loop.
 */
public final class RedisLink implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.state");

  private final Vertx vertx;
  /** The one context all of this link's work runs on (its fields need no locks). */
  private final Context context;
  private final Redis client;
  private final String where;
  private final Duration timeout;
  private final List<Consumer<Boolean>> healthListeners = new CopyOnWriteArrayList<>();
  private final long[] pingTimer;
  // Touched only on this link's event loop.
  private Future<RedisConnection> connection;
  private volatile boolean up;
  private volatile boolean closed;

  private RedisLink(Vertx vertx, Redis client, String where, Duration timeout, Duration pingInterval) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.where = where;
    this.timeout = timeout;
    long[] timer = new long[1];
    context.runOnContext(v -> timer[0] = vertx.setPeriodic(pingInterval.toMillis(), id -> {
      if (!up) {
        send(Request.cmd(Command.PING)).onFailure(e -> { });
      }
    }));
    this.pingTimer = timer;
  }

  /**
   * A link on {@code vertx} (a small Vert.x instance the state stores own, not the gateway's: it
   * must outlive config reloads and server restarts).
   */
  public static RedisLink open(Vertx vertx, StateConfig config, Duration timeout, Duration pingInterval) {
    String url = config.redis().orElseThrow(() -> new IllegalArgumentException("no redis URL")).toString();
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxWaitingHandlers(65_536)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) timeout.toMillis())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
    config.password().ifPresent(p -> options.setPassword(p.reveal()));
    RedisLink link = new RedisLink(vertx, Redis.createClient(vertx, options), config.describe(), timeout, pingInterval);
    link.context.runOnContext(v -> link.send(Request.cmd(Command.PING)).onFailure(e -> { }));
    return link;
  }

  /** The Redis endpoint as safe to log (no credentials are ever in it). */
  public String where() {
    return where;
  }

  public boolean isUp() {
    return up;
  }

  /** Called with {@code true} when Redis answers again after being down, {@code false} when lost. */
  public void onHealthChange(Consumer<Boolean> listener) {
    healthListeners.add(listener);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Runs {@code action} on this link's context (where the stores keep their connection state). */
  public void runOnContext(io.vertx.core.Handler<Void> action) {
    context.runOnContext(action);
  }

  /** Sends one command; fails with {@link StateStoreUnavailableException} on any trouble. */
  public Future<Response> send(Request request) {
    Context caller = Vertx.currentContext();
    Promise<Response> result = Promise.promise();
    context.runOnContext(v -> {
      if (closed) {
        result.fail(new StateStoreUnavailableException("the state store is closed"));
        return;
      }
      Future<RedisConnection> conn = connection();
      conn.compose(c -> c.send(request))
          .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .onComplete(ar -> {
            if (ar.succeeded()) {
              healthy(true, null);
              result.complete(ar.result());
            } else if (isServerError(ar.cause())) {
              // Redis answered (e.g. NOSCRIPT, WRONGTYPE): the link is fine, the command is not.
              healthy(true, null);
              result.fail(ar.cause());
            } else {
              drop(conn);
              healthy(false, ar.cause());
              result.fail(new StateStoreUnavailableException(
                  "state store " + where + " unavailable: " + describe(ar.cause())));
            }
          });
    });
    if (caller == null) {
      return result.future();
    }
    Promise<Response> onCaller = Promise.promise();
    result.future().onComplete(ar -> caller.runOnContext(v -> onCaller.handle(ar)));
    return onCaller.future();
  }

  /** EVALSHA, loading the script on NOSCRIPT (after a Redis restart or a SCRIPT FLUSH). */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return send(script.evalsha(keys, args)).recover(e -> {
      if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
        return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
            .compose(loaded -> send(script.evalsha(keys, args)));
      }
      return Future.failedFuture(e);
    });
  }

  /** A second connection for SUBSCRIBE (a subscribed connection takes no other commands). */
  public Future<RedisConnection> connectSubscriber() {
    return client.connect().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Future<RedisConnection> connection() {
    if (connection == null || connection.failed()) {
      Future<RedisConnection> attempt = client.connect();
      connection = attempt;
      attempt.onSuccess(c -> {
        c.exceptionHandler(e -> drop(attempt));
        c.endHandler(v -> {
          drop(attempt);
          healthy(false, new IllegalStateException("connection closed by Redis"));
        });
      });
    }
    return connection;
  }

  /**
   * Forgets the connection without closing it: Vert.x's close() hands a connection back to its
   * pool as reusable, which for one that timed out would give the next call the same stuck socket.
   * A forgotten one stays leased (so never reused) until Redis or the kernel ends it; the pool's
   * size bounds how many a hung Redis can hold.
   */
  private void drop(Future<RedisConnection> conn) {
    if (connection == conn) {
      connection = null;
    }
  }

  private void healthy(boolean now, Throwable cause) {
    if (up == now) {
      return;
    }
    up = now;
    if (now) {
      LOG.info(() -> "state store " + where + " is reachable");
    } else {
      LOG.warning(() -> "state store " + where + " unavailable: " + describe(cause));
    }
    for (Consumer<Boolean> l : healthListeners) {
      l.accept(now);
    }
  }

  /**
   * Redis answered with an error about the command itself; anything else (refused, reset,
   * timed out, NOAUTH, LOADING) means the store is unavailable.
   */
  private static boolean isServerError(Throwable e) {
    if (!(e instanceof Response r) || r.type() != io.vertx.redis.client.ResponseType.ERROR
        || e.getMessage() == null) {
      return false;
    }
    String m = e.getMessage();
    return m.startsWith("NOSCRIPT") || m.startsWith("ERR") || m.startsWith("WRONGTYPE");
  }

  /** The exception's message without anything that could hold a password (Vert.x never puts it). */
  private static String describe(Throwable e) {
    if (e == null) {
      return "unknown";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("(?i)(redis[s]?://)[^@/\\s]*@", "$1***@");
  }

  @Override
  public void close() {
    closed = true;
    context.runOnContext(v -> vertx.cancelTimer(pingTimer[0]));
    client.close();
  }
}
