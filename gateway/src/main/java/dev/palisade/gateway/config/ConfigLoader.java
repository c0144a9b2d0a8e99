package dev.palisade.gateway.config;

import dev.palisade.gateway.limits.RequestLimits;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads and validates the YAML config; every error names the file, the line and the field. */
public final class ConfigLoader {

  private final SecretResolver secrets;

  public ConfigLoader(SecretResolver secrets) {
    this.secrets = secrets;
  }

  public GatewayConfig load(Path file) {
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(options).compose(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new ConfigException(file + ": the config is empty");
    }
    Path baseDir = file.toAbsolutePath().getParent();
    return parse(new YamlNode(file.toString(), "", root), new SecurityConfigParser(secrets, baseDir));
  }

  private GatewayConfig parse(YamlNode root, SecurityConfigParser security) {
    YamlNode.Fields top = root.fields(Set.of(
        "server", "providers", "routes", "consumers", "admin", "lifecycle", "state", "auth", "limits"));
    Optional<YamlNode> serverBody =
        top.optional("server").flatMap(s -> s.fields(SERVER_FIELDS).optional("max_body_bytes"));
    RequestLimits limits = security.limits(top.optional("limits"), serverBody);
    AuthConfig auth = security.auth(top.optional("auth"));
    ServerConfig server =
        top.optional("server").map(n -> server(n, security, limits))
            .orElseGet(() -> server(null, security, limits));
    security.checkAuthAgainstServer(auth, top.optional("auth"), server);
    List<ProviderConfig> providers = new ArrayList<>();
    Set<String> providerNames = new HashSet<>();
    Set<String> keyValues = new HashSet<>();
    for (YamlNode p : top.required("providers").items()) {
      ProviderConfig provider = provider(p, keyValues, security);
      if (!providerNames.add(provider.name())) {
        throw p.error("provider name '" + provider.name() + "' is used twice");
      }
      providers.add(provider);
    }
    if (providers.isEmpty()) {
      throw top.required("providers").error("at least one provider is needed");
    }
    List<RouteConfig> routes = new ArrayList<>();
    Set<String> patterns = new HashSet<>();
    for (YamlNode r : top.required("routes").items()) {
      RouteConfig route = route(r, providerNames);
      if (!patterns.add(route.match().text())) {
        throw r.error("another route already matches '" + route.match() + "'");
      }
      routes.add(route);
    }
    if (routes.isEmpty()) {
      throw top.required("routes").error("at least one route is needed");
    }
    List<ConsumerConfig> consumers = new ArrayList<>();
    Set<String> consumerNames = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    Set<String> identities = new HashSet<>();
    for (YamlNode c : top.required("consumers").items()) {
      ConsumerConfig consumer = consumer(c, security, auth);
      if (!consumerNames.add(consumer.name())) {
        throw c.error("consumer name '" + consumer.name() + "' is used twice");
      }
      if (consumer.keySha256() != null && !hashes.add(consumer.keySha256())) {
        throw c.error("another consumer already has this key_sha256");
      }
      ConsumerIdentities ids = consumer.identities();
      for (String id : new String[] {
          ids.jwtClaim() == null ? null : "jwt_claim " + ids.jwtClaim(),
          ids.certSha256() == null ? null : "client_cert_sha256 " + ids.certSha256(),
          ids.certSubject() == null ? null : "client_cert_subject " + ids.certSubject(),
          ids.certSan() == null ? null : "client_cert_san " + ids.certSan()}) {
        if (id != null && !identities.add(id)) {
          throw c.error("another consumer already has this " + id.substring(0, id.indexOf(' ')));
        }
      }
      consumers.add(consumer);
    }
    if (consumers.isEmpty()) {
      throw top.required("consumers").error("at least one consumer is needed");
    }
    StateConfig state = top.optional("state").map(this::state).orElse(StateConfig.MEMORY);
    return new GatewayConfig(server, providers, routes, consumers,
        top.optional("admin").map(OperationsSections::admin).orElse(null),
        top.optional("lifecycle").map(OperationsSections::lifecycle).orElse(LifecycleConfig.DEFAULT),
        state, auth, limits);
  }

  private StateConfig state(YamlNode node) {
    return StateSection.parse(node, secrets);
  }

  private static final Set<String> SERVER_FIELDS =
      Set.of(
          "host", "port", "event_loops", "disconnect_policy",
          "completion_token_reserve", "max_body_bytes", "tls");

  private ServerConfig server(YamlNode node, SecurityConfigParser security, RequestLimits limits) {
    String host = "127.0.0.1";
    int port = 8080;
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    DisconnectPolicy policy = DisconnectPolicy.CANCEL;
    long reserve = 1024;
    ServerTls tls = null;
    if (node != null) {
      YamlNode.Fields f = node.fields(SERVER_FIELDS);
      host = f.optional("host").map(YamlNode::nonBlankText).orElse(host);
      port = f.optional("port").map(n -> n.intValue(0, 65535)).orElse(port);
      loops = f.optional("event_loops").map(n -> n.intValue(1, 256)).orElse(loops);
      policy =
          f.optional("disconnect_policy")
              .map(n -> enumValue(n, DisconnectPolicy.class))
              .orElse(policy);
      reserve =
          f.optional("completion_token_reserve").map(n -> n.longValue(0, 10_000_000)).orElse(reserve);
      tls = f.optional("tls").map(security::serverTls).orElse(null);
    }
    // The body limit lives in limits.max_body_bytes (server.max_body_bytes is the older spelling).
    return new ServerConfig(host, port, loops, policy, reserve, limits.maxBodyBytes(), tls);
  }

  private ProviderConfig provider(YamlNode node, Set<String> keyValues, SecurityConfigParser security) {
    YamlNode.Fields f =
        node.fields(
            Set.of(
                "name", "protocol", "base_url", "api_version", "connect_timeout",
                "first_byte_timeout", "idle_timeout", "keys", "key_pool", "tls"));
    String name = name(f.required("name"));
    YamlNode protocolNode = f.required("protocol");
    Protocol protocol =
        Protocol.byConfigName(protocolNode.nonBlankText())
            .orElseThrow(
                () -> protocolNode.error("expected one of openai, azure-openai, anthropic, got '"
                    + protocolNode.text() + "'"));
    YamlNode urlNode = f.required("base_url");
    URI baseUrl;
    try {
      baseUrl = new URI(urlNode.nonBlankText().replaceAll("/+$", ""));
    } catch (URISyntaxException e) {
      throw urlNode.error("not a URL: " + e.getReason());
    }
    if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
        || baseUrl.getHost() == null) {
      throw urlNode.error("expected an http:// or https:// URL with a host");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getUserInfo() != null) {
      throw urlNode.error("must not carry a query or user info (keys belong in 'keys')");
    }
    String apiVersion = f.optional("api_version").map(YamlNode::nonBlankText).orElse(null);
    if (protocol == Protocol.AZURE_OPENAI && apiVersion == null) {
      throw node.error("protocol azure-openai needs 'api_version'");
    }
    Duration connect = f.optional("connect_timeout").map(YamlNode::duration).orElse(Duration.ofSeconds(5));
    Duration firstByte =
        f.optional("first_byte_timeout").map(YamlNode::duration).orElse(Duration.ofSeconds(60));
    Duration idle = f.optional("idle_timeout").map(YamlNode::duration).orElse(Duration.ofSeconds(120));
    List<ProviderKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    YamlNode keysNode = f.required("keys");
    for (YamlNode k : keysNode.items()) {
      YamlNode.Fields kf = k.fields(Set.of("id", "value"));
      String id = name(kf.required("id"));
      if (!ids.add(id)) {
        throw k.error("key id '" + id + "' is used twice in this provider");
      }
      ProviderKey key = new ProviderKey(id, secrets.resolve(kf.required("value")));
      if (!keyValues.add(key.value().reveal())) {
        throw k.error("the same key value is configured twice");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw keysNode.error("at least one key is needed");
    }
    KeyPoolPolicy pool = f.optional("key_pool").map(this::keyPool).orElse(KeyPoolPolicy.DEFAULT);
    UpstreamTls tls = f.optional("tls").map(t -> security.upstreamTls(t, baseUrl)).orElse(null);
    return new ProviderConfig(
        name, protocol, baseUrl, apiVersion, connect, firstByte, idle, keys, pool, tls);
  }

  private KeyPoolPolicy keyPool(YamlNode node) {
    YamlNode.Fields f =
        node.fields(Set.of("cooldown", "block_after_failures", "block_duration", "probe_interval"));
    KeyPoolPolicy d = KeyPoolPolicy.DEFAULT;
    return new KeyPoolPolicy(
        f.optional("cooldown").map(YamlNode::duration).orElse(d.cooldown()),
        f.optional("block_after_failures").map(n -> n.intValue(1, 1000)).orElse(d.blockAfterFailures()),
        f.optional("block_duration").map(YamlNode::duration).orElse(d.blockDuration()),
        f.optional("probe_interval").map(YamlNode::duration).orElse(d.probeInterval()));
  }

  private RouteConfig route(YamlNode node, Set<String> providers) {
    YamlNode.Fields f = node.fields(Set.of("match", "targets", "fallbacks", "sticky"));
    ModelPattern match = pattern(f.required("match"));
    YamlNode targetsNode = f.required("targets");
    List<TargetConfig> targets = new ArrayList<>();
    for (YamlNode t : targetsNode.items()) {
      targets.add(target(t, providers, true));
    }
    if (targets.isEmpty()) {
      throw targetsNode.error("at least one target is needed");
    }
    if (targets.stream().mapToInt(TargetConfig::weight).sum() <= 0) {
      throw targetsNode.error("the weights must add up to more than 0");
    }
    List<TargetConfig> fallbacks = new ArrayList<>();
    if (f.has("fallbacks")) {
      for (YamlNode t : f.required("fallbacks").items()) {
        fallbacks.add(target(t, providers, false));
      }
    }
    boolean sticky = f.optional("sticky").map(YamlNode::booleanValue).orElse(false);
    return new RouteConfig(match, targets, fallbacks, sticky);
  }

  private TargetConfig target(YamlNode node, Set<String> providers, boolean weighted) {
    YamlNode.Fields f =
        node.fields(weighted ? Set.of("provider", "model", "weight") : Set.of("provider", "model"));
    YamlNode providerNode = f.required("provider");
    String provider = providerNode.nonBlankText();
    if (!providers.contains(provider)) {
      throw providerNode.error(
          "no provider named '" + provider + "'; known: " + providers.stream().sorted().toList());
    }
    String model = f.optional("model").map(YamlNode::nonBlankText).orElse(null);
    int weight = f.optional("weight").map(n -> n.intValue(0, 1_000_000)).orElse(1);
    return new TargetConfig(provider, model, weight);
  }

  private ConsumerConfig consumer(YamlNode node, SecurityConfigParser security, AuthConfig auth) {
    Set<String> allowed = new HashSet<>(Set.of("name", "key_sha256", "models", "limits"));
    allowed.addAll(SecurityConfigParser.CONSUMER_FIELDS);
    YamlNode.Fields f = node.fields(allowed);
    String name = name(f.required("name"));
    String hash = null;
    if (f.has("key_sha256")) {
      YamlNode hashNode = f.required("key_sha256");
      hash = hashNode.nonBlankText().toLowerCase(Locale.ROOT);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw hashNode.error(
            "expected the SHA-256 of the consumer key as 64 hex characters"
                + " ('gateway consumer-key' prints a new key and its hash)");
      }
    }
    ConsumerIdentities identities = security.identities(f, auth);
    if (hash == null && identities.isEmpty()) {
      throw node.error("a consumer needs a credential: key_sha256, jwt_claim or a client_cert_* field");
    }
    List<ModelPattern> models = new ArrayList<>();
    YamlNode modelsNode = f.required("models");
    for (YamlNode m : modelsNode.items()) {
      models.add(pattern(m));
    }
    if (models.isEmpty()) {
      throw modelsNode.error("list at least one model pattern ('*' for all)");
    }
    Limits limits = f.optional("limits").map(this::limits).orElse(Limits.NONE);
    return new ConsumerConfig(name, hash, models, limits, identities);
  }

  private Limits limits(YamlNode node) {
    YamlNode.Fields f =
        node.fields(
            Set.of("tokens_per_day", "tokens_per_month", "requests_per_minute", "tokens_per_minute"));
    return new Limits(
        limit(f, "tokens_per_day"),
        limit(f, "tokens_per_month"),
        limit(f, "requests_per_minute"),
        limit(f, "tokens_per_minute"));
  }

  private static long limit(YamlNode.Fields f, String name) {
    return f.optional(name).map(n -> n.longValue(1, Long.MAX_VALUE - 1)).orElse(Limits.UNLIMITED);
  }

  private static ModelPattern pattern(YamlNode node) {
    try {
      return new ModelPattern(node.nonBlankText());
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static String name(YamlNode node) {
    String name = node.nonBlankText();
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw node.error(
          "names are 1-64 characters of letters, digits, '_', '.', '-' (they become metric labels)");
    }
    return name;
  }

  private static <E extends Enum<E>> E enumValue(YamlNode node, Class<E> type) {
    String raw = node.nonBlankText();
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(raw)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw node.error("expected one of " + allowed + ", got '" + raw + "'");
  }
}
