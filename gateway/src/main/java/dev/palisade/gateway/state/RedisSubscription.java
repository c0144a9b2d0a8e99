package dev.palisade.gateway.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One Redis channel a store listens to, on its own connection of a {@link RedisLink} (a
 * subscribed connection takes no other commands), and the periodic re-read that makes up for
 * the messages a subscriber can miss.
 *
 * <p>{@code resync} (the owner's full re-read) runs each time a subscription takes effect,
 * because messages published before that moment were not received, and every {@code
 * resyncInterval} while Redis is up (a reconnect, a slow subscriber), after re-subscribing if
 * the connection was lost. The owner also calls {@link #ensure} when Redis comes back. Each
 * message's payload (the third element of a RESP2 array or RESP3 push {@code ["message",
 * channel, payload]}) goes to {@code onPayload}; the owner parses it and decides which to ignore.
 */
public final class RedisSubscription implements AutoCloseable {

  private final RedisLink redis;
  private final String channel;
  private final Consumer<String> onPayload;
  private final Runnable resync;
  // Touched only on the link's event loop.
  private long resyncTimer = -1;
  private RedisConnection subscriber;
  private boolean subscribing;
  private volatile boolean closed;

  /** Starts at once: the first subscription is asked for on the link's context. */
  public RedisSubscription(RedisLink redis, String channel, Consumer<String> onPayload, Runnable resync,
      Duration resyncInterval) {
    this.redis = redis;
    this.channel = channel;
    this.onPayload = onPayload;
    this.resync = resync;
    redis.runOnContext(v -> {
      resyncTimer = redis.vertx().setPeriodic(resyncInterval.toMillis(), id -> {
        if (redis.isUp()) {
          ensure();
          resync.run();
        }
      });
      ensure();
    });
  }

  /** Subscribes unless subscribed, subscribing or closed; call on the link's context. */
  public void ensure() {
    if (closed || subscriber != null || subscribing) {
      return;
    }
    subscribing = true;
    redis.connectSubscriber().compose(c -> {
      c.handler(this::onMessage);
      c.endHandler(v -> lost(c));
      c.exceptionHandler(e -> lost(c));
      return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(c);
    }).onComplete(ar -> {
      subscribing = false;
      if (ar.succeeded()) {
        if (closed) {
          ar.result().close();
          return;
        }
        subscriber = ar.result();
        resync.run();
      }
    });
  }

  private void lost(RedisConnection c) {
    if (subscriber == c) {
      subscriber = null;
    }
  }

  private void onMessage(Response message) {
    // RESP3 push or RESP2 array: ["message", channel, payload]
    if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    onPayload.accept(message.get(2).toString());
  }

  /** Stops listening and re-reading; safe from any thread. */
  @Override
  public void close() {
    closed = true;
    redis.runOnContext(v -> {
      redis.vertx().cancelTimer(resyncTimer);
      if (subscriber != null) {
        subscriber.close();
      }
    });
  }
}
