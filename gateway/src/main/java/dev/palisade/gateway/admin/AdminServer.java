package dev.palisade.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.config.AdminConfig;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.consumer.ConsumerKey;
import dev.palisade.gateway.consumer.ConsumerKeys;
import dev.palisade.gateway.consumer.ConsumerStore;
import dev.palisade.gateway.consumer.ConsumerStoreException;
import dev.palisade.gateway.consumer.StoredConsumer;
import dev.palisade.gateway.keypool.KeyPool;
import dev.palisade.gateway.keypool.KeyState;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.reload.ConfigReloader;
import dev.palisade.gateway.reload.ReloadResult;
import dev.palisade.gateway.reload.TlsReloadResult;
import dev.palisade.gateway.routing.ModelPattern;
import dev.palisade.gateway.server.GatewayRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The admin API on its own listener: consumers and their keys, limits, usage, key-pool status and
 * reloads, as JSON. Every request needs an admin bearer token; every change (made or refused) is
 * appended to the {@link AuditLog} before the answer goes out. Errors are
 * {@code {"error":{"code","message"}}} with a 4xx status; nothing internal (stack traces,
 * exception class names) reaches a response.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.admin");
  private static final int MAX_BODY = 64 * 1024;

  private final Vertx vertx;
  private final Supplier<GatewayRuntime> runtime;
  private final ConfigReloader reloader;
  private final AdminTokens tokens;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private HttpServer server;

  private AdminServer(Vertx vertx, Supplier<GatewayRuntime> runtime, ConfigReloader reloader,
      AdminTokens tokens, AuditLog audit, Clock clock) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.reloader = reloader;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Starts the admin listener.
   *
   * @param reloader null when the gateway was not started from a file (then /admin/reload is 409)
   */
  public static AdminServer start(Vertx vertx, AdminConfig config, Supplier<GatewayRuntime> runtime,
      ConfigReloader reloader, AdminTokens tokens, AuditLog audit, Clock clock) {
    if (!tokens.any()) {
      throw new GatewayException(ExitCode.CONFIG,
          "the admin API is configured but has no token: add admin.tokens (by SHA-256) or set $PALISADE_ADMIN_TOKEN"
              + " / --admin-token-file");
    }
    AdminServer admin = new AdminServer(vertx, runtime, reloader, tokens, audit, clock);
    try {
      admin.server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
          .requestHandler(admin::handle)
          .listen()
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new GatewayException(ExitCode.STARTUP,
          "cannot listen for the admin API on " + config.host() + ":" + config.port() + ": " + e.getMessage());
    }
    LOG.info(() -> "admin API listening on http://" + config.host() + ":" + admin.port());
    return admin;
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "admin API did not close cleanly: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ transport

  private record Answer(int status, JsonNode body) {}

  private void handle(HttpServerRequest req) {
    var actor = tokens.authenticate(req.getHeader("authorization"));
    if (actor.isEmpty()) {
      send(req, error(401, "unauthorized", "Missing or unknown admin token: send 'Authorization: Bearer <admin token>'."));
      return;
    }
    String declared = req.getHeader("content-length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > MAX_BODY) {
      send(req, error(413, "body_too_large", "Admin request bodies are limited to " + MAX_BODY + " bytes."));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] overflow = {false};
    req.handler(chunk -> {
      if (!overflow[0] && body.length() + chunk.length() > MAX_BODY) {
        overflow[0] = true;
        send(req, error(413, "body_too_large", "Admin request bodies are limited to " + MAX_BODY + " bytes."));
      } else if (!overflow[0]) {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (overflow[0]) {
        return;
      }
      Future<Answer> answer;
      try {
        answer = dispatch(actor.get(), req.method(), segments(req.path()), body);
      } catch (AdminException e) {
        answer = Future.succeededFuture(error(e.status, e.code, e.getMessage()));
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          send(req, ar.result());
        } else {
          Throwable t = ar.cause();
          if (t instanceof AdminException e) {
            send(req, error(e.status, e.code, e.getMessage()));
          } else {
            LOG.warning(() -> "admin " + req.method() + " " + req.path() + " failed: " + t);
            send(req, error(500, "internal_error", "The admin request failed inside the gateway; see its log."));
          }
        }
      });
    });
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static void send(HttpServerRequest req, Answer a) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(a.status()).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store");
    if (a.body() == null) {
      req.response().end();
    } else {
      req.response().end(Json.text(a.body()));
    }
  }

  private static Answer error(int status, String code, String message) {
    ObjectNode root = Json.object();
    root.putObject("error").put("code", code).put("message", message);
    return new Answer(status, root);
  }

  private static Answer ok(int status, JsonNode body) {
    return new Answer(status, body);
  }

  private Future<Answer> dispatch(String actor, HttpMethod m, List<String> p, Buffer body) {
    if (p.isEmpty() || !p.get(0).equals("admin")) {
      throw new AdminException(404, "not_found", "Unknown admin URL; the admin API lives under /admin/.");
    }
    int n = p.size();
    if (n == 2 && p.get(1).equals("consumers")) {
      return switch (m.name()) {
        case "GET" -> Future.succeededFuture(listConsumers());
        case "POST" -> createConsumer(actor, json(body));
        default -> throw notAllowed("GET, POST");
      };
    }
    if (n == 3 && p.get(1).equals("consumers")) {
      String name = p.get(2);
      return switch (m.name()) {
        case "GET" -> Future.succeededFuture(ok(200, AdminJson.consumer(existing(name))));
        case "PATCH" -> updateConsumer(actor, name, json(body));
        case "DELETE" -> deleteConsumer(actor, name);
        default -> throw notAllowed("GET, PATCH, DELETE");
      };
    }
    if (n == 4 && p.get(1).equals("consumers") && p.get(3).equals("keys")) {
      if (m != HttpMethod.POST) {
        throw notAllowed("POST");
      }
      return createKey(actor, p.get(2), body.length() == 0 ? Json.object() : json(body));
    }
    if (n == 5 && p.get(1).equals("consumers") && p.get(3).equals("keys")) {
      if (m != HttpMethod.DELETE) {
        throw notAllowed("DELETE");
      }
      return revokeKey(actor, p.get(2), p.get(4));
    }
    if (n == 4 && p.get(1).equals("consumers") && p.get(3).equals("usage")) {
      if (m != HttpMethod.GET) {
        throw notAllowed("GET");
      }
      StoredConsumer c = existing(p.get(2));
      return usage(c).map(u -> ok(200, u));
    }
    if (n == 2 && p.get(1).equals("usage")) {
      if (m != HttpMethod.GET) {
        throw notAllowed("GET");
      }
      return allUsage();
    }
    if (n == 2 && p.get(1).equals("providers")) {
      if (m != HttpMethod.GET) {
        throw notAllowed("GET");
      }
      return Future.succeededFuture(ok(200, providers()));
    }
    if (n == 2 && p.get(1).equals("reload")) {
      if (m != HttpMethod.POST) {
        throw notAllowed("POST");
      }
      return reload(actor);
    }
    throw new AdminException(404, "not_found", "Unknown admin URL: " + m + " /" + String.join("/", p) + ".");
  }

  private static AdminException notAllowed(String allowed) {
    return new AdminException(405, "method_not_allowed", "This admin URL takes " + allowed + ".");
  }

  private static ObjectNode json(Buffer body) {
    JsonNode node;
    try {
      node = Json.parse(body.getBytes());
    } catch (IOException e) {
      throw new AdminException(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (!(node instanceof ObjectNode o)) {
      throw new AdminException(400, "invalid_json", "The request body must be a JSON object.");
    }
    return o;
  }

  private ConsumerStore store() {
    return runtime.get().consumerStore();
  }

  private StoredConsumer existing(String name) {
    return store().get(name).orElseThrow(
        () -> new AdminException(404, "consumer_not_found", "No consumer named '" + name + "'."));
  }

  // ------------------------------------------------------------------ consumers and keys

  private Answer listConsumers() {
    ObjectNode root = Json.object();
    ArrayNode data = root.putArray("consumers");
    store().list().forEach(c -> data.add(AdminJson.consumer(c)));
    return ok(200, root);
  }

  private Future<Answer> createConsumer(String actor, ObjectNode body) {
    AdminJson.onlyFields(body, Set.of("name", "models", "limits", "issue_key", "key_id"));
    String name = AdminJson.name(body.get("name"), "name");
    String target = "consumer/" + name;
    List<ModelPattern> models = AdminJson.models(body.get("models"));
    Limits limits = AdminJson.limits(body.get("limits"));
    boolean issueKey = body.path("issue_key").asBoolean(true);
    List<ConsumerKey> keys = new ArrayList<>();
    String key = null;
    if (issueKey) {
      String keyId = body.has("key_id") ? AdminJson.name(body.get("key_id"), "key_id") : newKeyId();
      key = ConsumerKeys.generate();
      keys.add(new ConsumerKey(keyId, ConsumerKeys.sha256Hex(key), clock.instant()));
    }
    StoredConsumer consumer = new StoredConsumer(name, StoredConsumer.Origin.ADMIN, keys, models, limits);
    String issued = key;
    return audited(actor, "consumer.create", target, store().create(consumer).map(c -> {
      ObjectNode out = AdminJson.consumer(c);
      if (issued != null) {
        out.set("issued_key", issuedKey(c.keys().get(0), issued));
      }
      return ok(201, out);
    }));
  }

  private Future<Answer> updateConsumer(String actor, String name, ObjectNode body) {
    AdminJson.onlyFields(body, Set.of("models", "limits"));
    if (body.isEmpty()) {
      throw AdminException.badRequest("send 'models' and/or 'limits' to change");
    }
    List<ModelPattern> models = body.has("models") ? AdminJson.models(body.get("models")) : null;
    Limits limits = body.has("limits") ? AdminJson.limits(body.get("limits")) : null;
    return audited(actor, "consumer.update", "consumer/" + name,
        store().update(name, c -> c.withModelsAndLimits(
                models == null ? c.models() : models, limits == null ? c.limits() : limits))
            .map(c -> ok(200, AdminJson.consumer(c))));
  }

  private Future<Answer> deleteConsumer(String actor, String name) {
    return audited(actor, "consumer.delete", "consumer/" + name,
        store().delete(name).map(v -> ok(204, null)));
  }

  private Future<Answer> createKey(String actor, String name, ObjectNode body) {
    AdminJson.onlyFields(body, Set.of("id"));
    String keyId = body.has("id") ? AdminJson.name(body.get("id"), "id") : newKeyId();
    String key = ConsumerKeys.generate();
    ConsumerKey stored = new ConsumerKey(keyId, ConsumerKeys.sha256Hex(key), clock.instant());
    return audited(actor, "key.create", "consumer/" + name + "/key/" + keyId,
        store().update(name, c -> {
              if (c.key(keyId).isPresent()) {
                throw new IllegalArgumentException("consumer '" + name + "' already has a key '" + keyId + "'");
              }
              List<ConsumerKey> keys = new ArrayList<>(c.keys());
              keys.add(stored);
              return c.withKeys(keys);
            })
            .map(c -> ok(201, issuedKey(stored, key).put("consumer", name))));
  }

  private Future<Answer> revokeKey(String actor, String name, String keyId) {
    return audited(actor, "key.revoke", "consumer/" + name + "/key/" + keyId,
        store().update(name, c -> {
              if (c.key(keyId).isEmpty()) {
                throw new KeyNotFound("consumer '" + name + "' has no key '" + keyId + "'");
              }
              return c.withKeys(c.keys().stream().filter(k -> !k.id().equals(keyId)).toList());
            })
            .map(c -> ok(204, null)));
  }

  /** Not a conflict: the key to revoke does not exist (404). */
  private static final class KeyNotFound extends RuntimeException {
    KeyNotFound(String message) {
      super(message, null, false, false);
    }
  }

  private static ObjectNode issuedKey(ConsumerKey k, String key) {
    return Json.object()
        .put("key_id", k.id())
        .put("key", key)
        .put("note", "This is the only time the key is shown; the gateway keeps only its SHA-256.");
  }

  private String newKeyId() {
    byte[] raw = new byte[4];
    random.nextBytes(raw);
    return "k-" + HexFormat.of().formatHex(raw);
  }

  // ------------------------------------------------------------------ status

  private Future<JsonNode> usage(StoredConsumer c) {
    return runtime.get().quotas().usage(c.name()).map(u -> {
      ObjectNode o = Json.object().put("consumer", c.name());
      o.set("limits", AdminJson.limits(c.limits()));
      o.set("usage", AdminJson.usage(u));
      return o;
    });
  }

  private Future<Answer> allUsage() {
    List<StoredConsumer> all = store().list();
    List<Future<JsonNode>> each = all.stream().map(this::usage).toList();
    return Future.all(each).map(v -> {
      ObjectNode root = Json.object();
      ArrayNode data = root.putArray("consumers");
      each.forEach(f -> data.add(f.result()));
      return ok(200, root);
    });
  }

  private ObjectNode providers() {
    GatewayRuntime rt = runtime.get();
    Instant now = clock.instant();
    ObjectNode root = Json.object();
    ArrayNode data = root.putArray("providers");
    for (KeyPool pool : rt.keyPools()) {
      ObjectNode p = data.addObject().put("name", pool.provider());
      ArrayNode keys = p.putArray("keys");
      for (ProviderKey k : pool.keys()) {
        KeyState s = rt.keyStates().get(pool.provider(), k.id());
        ObjectNode key = keys.addObject().put("id", k.id())
            .put("status", s.effectiveStatus(now).name().toLowerCase(Locale.ROOT))
            .put("consecutive_failures", s.consecutiveFailures());
        if (s.effectiveStatus(now) != dev.palisade.gateway.keypool.KeyStatus.AVAILABLE) {
          key.put("reason", s.reason());
          if (s.until().equals(Instant.MAX)) {
            key.put("until", "a successful probe");
          } else {
            key.put("until", s.until().toString());
          }
        }
      }
    }
    return root;
  }

  private Future<Answer> reload(String actor) {
    if (reloader == null) {
      throw new AdminException(409, "no_config_file", "This gateway was not started from a config file.");
    }
    return reloader.reload("admin call by " + actor).compose(r -> {
      ObjectNode out = Json.object().put("result", r.outcome().name().toLowerCase(Locale.ROOT));
      if (r.contentSha256() != null) {
        out.put("config_sha256", r.contentSha256());
      }
      ArrayNode restart = out.putArray("restart_required");
      r.restartRequired().forEach(restart::add);
      if (r.error() != null) {
        out.put("error", r.error());
      }
      boolean tlsRefused = r.tls() != null && r.tls().outcome() == TlsReloadResult.Outcome.REFUSED;
      if (r.tls() != null) {
        ObjectNode tls = out.putObject("tls").put("result", r.tls().outcome().name().toLowerCase(Locale.ROOT))
            .put("serial", r.tls().serial()).put("not_after", r.tls().notAfter().toString());
        if (r.tls().error() != null) {
          tls.put("error", r.tls().error());
        }
      }
      Answer answer = r.outcome() == ReloadResult.Outcome.REFUSED || tlsRefused
          ? new Answer(422, out) : ok(200, out);
      return record(actor, "config.reload", "config",
          r.outcome() == ReloadResult.Outcome.REFUSED || tlsRefused ? "error" : "ok",
          r.outcome() == ReloadResult.Outcome.REFUSED ? "config_refused" : tlsRefused ? "tls_refused" : null, describe(r))
          .map(v -> answer);
    });
  }

  /** The audit detail of a reload: outcome, content hash, settings needing a restart, error. */
  public static String describe(ReloadResult r) {
    return r.outcome().name().toLowerCase(Locale.ROOT)
        + (r.contentSha256() == null ? "" : " sha256=" + r.contentSha256())
        + (r.restartRequired().isEmpty() ? "" : " restart_required=" + r.restartRequired())
        + (r.error() == null ? "" : " error=" + r.error())
        + (r.tls() == null ? "" : " tls=" + r.tls().describe());
  }

  // ------------------------------------------------------------------ audit

  /** Records the change (done or refused) and maps store failures to 4xx answers. */
  private Future<Answer> audited(String actor, String action, String target, Future<Answer> change) {
    return change.transform(ar -> {
      if (ar.succeeded()) {
        return record(actor, action, target, "ok", null, null).map(v -> ar.result());
      }
      Answer refused = refusal(ar.cause());
      String code = refused.body().path("error").path("code").asText();
      return record(actor, action, target, "error", code, null).map(v -> refused);
    });
  }

  private static Answer refusal(Throwable t) {
    if (t instanceof ConsumerStoreException e) {
      return switch (e.reason()) {
        case NOT_FOUND -> error(404, "consumer_not_found", e.getMessage());
        case CONFLICT -> error(409, "conflict", e.getMessage());
        case READ_ONLY -> error(409, "read_only", e.getMessage());
        case UNAVAILABLE -> error(503, "store_unavailable", e.getMessage());
      };
    }
    if (t instanceof KeyNotFound e) {
      return error(404, "key_not_found", e.getMessage());
    }
    if (t instanceof AdminException e) {
      return error(e.status, e.code, e.getMessage());
    }
    throw new IllegalStateException("consumer store failed", t);
  }

  /** Appends to the audit log on a worker thread; an unwritable log fails the answer (500). */
  public Future<Void> record(String actor, String action, String target, String result, String error, String detail) {
    return vertx.executeBlocking(() -> {
      audit.record(actor, action, target, result, error, detail);
      return null;
    }, true);
  }
}
