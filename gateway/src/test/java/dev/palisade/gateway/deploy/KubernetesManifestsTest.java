package dev.palisade.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.palisade.gateway.config.ConfigLoader;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes example under deploy/kubernetes: every manifest parses, and the properties the
 * README promises hold (replicas, digest, probes, Secret, ConfigMap, admin port kept private,
 * non-root, read-only root, limits, PDB, drain timing). The embedded gateway config goes through
 * the real ConfigLoader.
 */
class KubernetesManifestsTest {

  static final Path DIR = Path.of("..", "deploy", "kubernetes").toAbsolutePath().normalize();
  static final Map<String, Map<String, Object>> BY_KIND_AND_NAME = new LinkedHashMap<>();
  static final List<String> FILES = new ArrayList<>();

  @TempDir Path tmp;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parseAll() throws IOException {
    assertTrue(Files.isDirectory(DIR), DIR + " is missing");
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        FILES.add(f.getFileName().toString());
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        int docs = 0;
        for (Object doc : new Yaml(options).loadAll(Files.readString(f))) {
          if (doc == null) {
            continue;
          }
          docs++;
          Map<String, Object> m = (Map<String, Object>) doc;
          assertNotNull(m.get("apiVersion"), f + ": apiVersion");
          assertNotNull(m.get("kind"), f + ": kind");
          if (!"Kustomization".equals(m.get("kind"))) {
            String name = (String) map(m, "metadata").get("name");
            assertNotNull(name, f + ": metadata.name");
            assertTrue(BY_KIND_AND_NAME.put(m.get("kind") + "/" + name, m) == null, "duplicate " + name);
          }
        }
        assertTrue(docs > 0, f + " holds no manifest");
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertTrue(v instanceof Map, key + " is not a mapping in " + m);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertTrue(v instanceof List, key + " is not a list in " + m);
    return (List<Map<String, Object>>) v;
  }

  static Map<String, Object> get(String kindAndName) {
    Map<String, Object> m = BY_KIND_AND_NAME.get(kindAndName);
    assertNotNull(m, kindAndName + " not found among " + BY_KIND_AND_NAME.keySet());
    return m;
  }

  static Map<String, Object> podSpec(String deployment) {
    return map(map(map(get("Deployment/" + deployment), "spec"), "template"), "spec");
  }

  static Map<String, Object> gatewayContainer() {
    return list(podSpec("palisade-gateway"), "containers").get(0);
  }

  static String embeddedConfig() {
    return (String) map(get("ConfigMap/palisade-gateway-config"), "data").get("gateway.yaml");
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> k = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));
    List<String> expected = new ArrayList<>(FILES);
    expected.remove("kustomization.yaml");
    assertEquals(expected.stream().sorted().toList(),
        ((List<?>) k.get("resources")).stream().map(Object::toString).sorted().toList());
  }

  @Test
  void gatewayDeploymentIsHardenedAndPinned() {
    Map<String, Object> deployment = get("Deployment/palisade-gateway");
    assertEquals(3, map(deployment, "spec").get("replicas"));
    Map<String, Object> c = gatewayContainer();
    String image = (String) c.get("image");
    assertTrue(image.matches("[a-z0-9.-]+(/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}"),
        "the image is referenced by digest alone (no tag): " + image);

    Map<String, Object> pod = podSpec("palisade-gateway");
    Map<String, Object> podSec = map(pod, "securityContext");
    assertEquals(true, podSec.get("runAsNonRoot"));
    assertTrue(((Integer) podSec.get("runAsUser")) > 0);
    Map<String, Object> sec = map(c, "securityContext");
    assertEquals(true, sec.get("readOnlyRootFilesystem"));
    assertEquals(false, sec.get("allowPrivilegeEscalation"));
    assertEquals(List.of("ALL"), map(sec, "capabilities").get("drop"));

    Map<String, Object> limits = map(map(c, "resources"), "limits");
    assertNotNull(limits.get("cpu"));
    assertNotNull(limits.get("memory"));
    assertNotNull(map(map(c, "resources"), "requests").get("memory"));

    assertEquals("/readyz", map(map(c, "readinessProbe"), "httpGet").get("path"));
    assertEquals("/healthz", map(map(c, "livenessProbe"), "httpGet").get("path"));
  }

  @Test
  void masterKeyComesFromASecretAndConfigFromTheConfigMap() {
    Map<String, Object> c = gatewayContainer();
    List<String> args = ((List<?>) c.get("args")).stream().map(Object::toString).toList();
    assertEquals("serve", args.get(0));
    String masterKeyFile = args.stream().filter(a -> a.startsWith("--master-key-file=")).findFirst()
        .orElseThrow(() -> new AssertionError("no --master-key-file in " + args)).substring(18);
    String configFile = args.stream().filter(a -> a.startsWith("--config=")).findFirst()
        .orElseThrow(() -> new AssertionError("no --config in " + args)).substring(9);
    Map<String, String> mountByVolume = new LinkedHashMap<>();
    for (Map<String, Object> m : list(c, "volumeMounts")) {
      mountByVolume.put((String) m.get("name"), (String) m.get("mountPath"));
      assertFalse(m.containsKey("subPath"), "subPath mounts never see ConfigMap updates: " + m);
    }
    String secretVolume = null;
    String configVolume = null;
    for (Map<String, Object> v : list(podSpec("palisade-gateway"), "volumes")) {
      if (v.get("secret") instanceof Map<?, ?> s && "palisade-gateway-secrets".equals(s.get("secretName"))) {
        secretVolume = (String) v.get("name");
      }
      if (v.get("configMap") instanceof Map<?, ?> cm && "palisade-gateway-config".equals(cm.get("name"))) {
        configVolume = (String) v.get("name");
      }
    }
    assertNotNull(secretVolume, "a volume from the Secret");
    assertNotNull(configVolume, "a volume from the ConfigMap");
    assertTrue(masterKeyFile.startsWith(mountByVolume.get(secretVolume) + "/"), masterKeyFile);
    assertEquals(mountByVolume.get(configVolume) + "/gateway.yaml", configFile);
    assertFalse(c.containsKey("env") && c.get("env").toString().contains("MASTER_KEY"),
        "the master key is a file from the Secret, not an environment variable");
    assertFalse(embeddedConfig().contains("PALISADE_GATEWAY_MASTER_KEY"));
  }

  @Test
  void adminPortIsNotExposedByThePublicService() throws Exception {
    GatewayConfig config = loadEmbeddedConfig();
    int admin = config.admin().port();
    assertEquals("127.0.0.1", config.admin().host(), "the admin API listens on the pod's loopback only");
    Map<String, Object> service = get("Service/palisade-gateway");
    for (Map<String, Object> p : list(map(service, "spec"), "ports")) {
      assertEquals("http", p.get("targetPort"));
      assertFalse(Integer.valueOf(admin).equals(p.get("port")));
    }
    for (Map<String, Object> p : list(gatewayContainer(), "ports")) {
      assertFalse(Integer.valueOf(admin).equals(p.get("containerPort")), "the admin port is not declared");
    }
    assertEquals(config.server().port(), list(gatewayContainer(), "ports").get(0).get("containerPort"));
  }

  @Test
  void terminationGraceCoversPreStopAndDrain() throws Exception {
    GatewayConfig config = loadEmbeddedConfig();
    long drain = config.lifecycle().drainTimeout().toSeconds();
    Map<String, Object> pod = podSpec("palisade-gateway");
    int grace = (Integer) pod.get("terminationGracePeriodSeconds");
    int preStop = (Integer) map(map(map(gatewayContainer(), "lifecycle"), "preStop"), "sleep").get("seconds");
    assertTrue(grace >= preStop + drain + 2 && grace <= preStop + drain + 15,
        "terminationGracePeriodSeconds " + grace + " vs preStop " + preStop + " + drain " + drain);
  }

  @Test
  void pdbAndRedisFitTheDeployment() throws Exception {
    Map<String, Object> pdb = map(get("PodDisruptionBudget/palisade-gateway"), "spec");
    Map<String, Object> labels = map(map(map(map(get("Deployment/palisade-gateway"), "spec"), "template"),
        "metadata"), "labels");
    assertEquals(labels, map(map(pdb, "selector"), "matchLabels"));
    assertTrue((Integer) pdb.get("minAvailable") < 3);
    assertEquals(labels, map(map(get("Service/palisade-gateway"), "spec"), "selector"));

    get("Deployment/redis");
    Map<String, Object> redis = get("Service/redis");
    assertEquals(6379, list(map(redis, "spec"), "ports").get(0).get("port"));
    @SuppressWarnings("unchecked")
    Map<String, Object> state = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(embeddedConfig()))
        .get("state");
    assertEquals("redis://redis:6379", state.get("store"));
    Map<String, Object> redisSec = map(list(podSpec("redis"), "containers").get(0), "securityContext");
    assertEquals(true, redisSec.get("readOnlyRootFilesystem"));
    assertEquals(true, map(podSpec("redis"), "securityContext").get("runAsNonRoot"));
  }

  /**
   * The ConfigMap's gateway.yaml through the real ConfigLoader, its {@code enc:v1:} placeholder
   * replaced by a value encrypted with a throwaway master key. The whole file must load.
   */
  GatewayConfig loadEmbeddedConfig() throws Exception {
    String ring = MasterKeyRing.generate("k8s-test");
    String encrypted = new SecretCipher(MasterKeyRing.parse(ring, "test")).encrypt("sk-k8s-example-provider-key");
    String yaml = embeddedConfig().replaceAll("enc:v1:[A-Za-z0-9_]+", encrypted);
    assertTrue(yaml.contains(encrypted), "the example config has an enc:v1: provider key");
    ConfigLoader loader = new ConfigLoader(new SecretResolver(Optional.of(MasterKeyRing.parse(ring, "test")), false));
    Path file = tmp.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return loader.load(file);
  }

  @Test
  void embeddedGatewayConfigPassesTheRealConfigLoader() throws Exception {
    GatewayConfig config = loadEmbeddedConfig();
    assertEquals("0.0.0.0", config.server().host());
    assertEquals(1, config.providers().get(0).keys().size());
    assertTrue(config.lifecycle().watchConfig());
    assertEquals("redis://redis:6379", config.state().redis().orElseThrow().toString());
  }

  /** The manifests name the repository the release workflow pushes to, so pin-image.sh can pin it. */
  @Test
  void imageRepositoryIsTheOneTheReleaseWorkflowPushesTo() throws IOException {
    String workflow = Files.readString(DIR.resolve("../../.github/workflows/release.yml").normalize());
    java.util.regex.Matcher to = java.util.regex.Pattern.compile("--to \"([^\":$]+):").matcher(workflow);
    assertTrue(to.find(), "release.yml has no --to \"REPO:TAG\"");
    String image = deploymentImage();
    assertEquals(to.group(1), image.substring(0, image.indexOf('@')), "deployment image repository");
    assertTrue(workflow.contains("deploy/kubernetes/pin-image.sh"), "release.yml pins the manifests");
  }

  @Test
  void pinImageWritesTheDigestAndRefusesTagsAndOtherRepositories() throws Exception {
    String image = deploymentImage();
    String repo = image.substring(0, image.indexOf('@'));
    String digest = "sha256:" + "ab".repeat(32);
    Path out = tmp.resolve("pinned");
    Run ok = pin(repo + ":1.2.3@" + digest, out);
    assertEquals(0, ok.exit(), ok.stderr());
    String pinned = Files.readString(out.resolve("gateway-deployment.yaml"));
    assertTrue(pinned.contains("image: " + repo + "@" + digest), pinned);
    assertFalse(pinned.contains("sha256:" + "0".repeat(64)), "placeholder left in " + out);
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(FILES.size(), files.count(), "every manifest is copied");
    }
    Run tag = pin(repo + ":1.2.3", tmp.resolve("tag"));
    assertEquals(2, tag.exit());
    assertTrue(tag.stderr().contains("is not REPO[:TAG]@sha256"), tag.stderr());
    Run other = pin("ghcr.io/someone-else/gateway@" + digest, tmp.resolve("other"));
    assertEquals(2, other.exit());
    assertTrue(other.stderr().contains("found it 0 time(s)"), other.stderr());
    Run zero = pin(repo + "@sha256:" + "0".repeat(64), tmp.resolve("zero"));
    assertEquals(2, zero.exit());
    assertTrue(zero.stderr().contains("placeholder digest"), zero.stderr());
  }

  private record Run(int exit, String stderr) {}

  private static Run pin(String ref, Path out) throws Exception {
    Process p = new ProcessBuilder("bash", DIR.resolve("pin-image.sh").toString(), ref, out.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "pin-image.sh did not finish");
    return new Run(p.exitValue(), err);
  }

  @SuppressWarnings("unchecked")
  private static String deploymentImage() {
    Map<String, Object> deployment = BY_KIND_AND_NAME.get("Deployment/palisade-gateway");
    assertNotNull(deployment, "Deployment/palisade-gateway");
    Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
    return (String) list(pod, "containers").get(0).get("image");
  }
}
