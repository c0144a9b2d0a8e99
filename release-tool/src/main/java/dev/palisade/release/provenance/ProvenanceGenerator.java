package dev.palisade.release.provenance;

import dev.palisade.release.Failure;
import dev.palisade.release.OrderedJson;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ClasspathEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-toto Statement v1 with a SLSA Provenance v1 predicate for the image. {@link #BUILD_TYPE} is
 * documented in release-tool/README.md. The run details (builder id, invocation id) come from the
 * GitHub Actions environment; outside Actions the builder is "local" and says so.
 */
public final class ProvenanceGenerator {

  public static final String BUILD_TYPE = "https://github.com/palisade-dev/palisade/release-tool/build-types/image/v1";

  /** The CLI inputs that shaped the build, recorded as external parameters. */
  public record Inputs(Map<String, String> cliInputs, String toolVersion, Instant startedOn, Instant finishedOn) {
    public Inputs {
      cliInputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cliInputs));
    }
  }

  private final Map<String, String> env;

  public ProvenanceGenerator(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public String generate(BuiltImage image, BaseConfig base, String sourceUrl, Inputs inputs) throws ReleaseException {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement.put("subject", List.of(OrderedJson.map("name", image.imageName(),
        "digest", OrderedJson.map("sha256", image.digest().hex()))));
    statement.put("predicateType", "https://slsa.dev/provenance/v1");

    Map<String, Object> external = new LinkedHashMap<>();
    Map<String, Object> workflow = new LinkedHashMap<>();
    // As SLSA's GitHub workflow build type: ref = the git ref the workflow ran at (refs/tags/v1.2.3), path separate.
    workflow.put("ref", workflowGitRef(env.getOrDefault("GITHUB_WORKFLOW_REF", "")));
    workflow.put("repository", env.containsKey("GITHUB_REPOSITORY")
        ? env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + env.get("GITHUB_REPOSITORY") : sourceUrl);
    workflow.put("path", workflowPath(env.getOrDefault("GITHUB_WORKFLOW_REF", "")));
    external.put("workflow", workflow);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("repository", sourceUrl);
    source.put("ref", image.git().tag() == null ? "" : "refs/tags/" + image.git().tag());
    source.put("commit", image.git().commit());
    external.put("source", source);
    external.put("inputs", new LinkedHashMap<>(inputs.cliInputs()));

    Map<String, Object> internal = new LinkedHashMap<>();
    internal.put("releaseToolVersion", inputs.toolVersion());
    internal.put("buildTime", image.git().commitTime().toString());
    internal.put("snapshot", image.git().snapshot());
    if (env.containsKey("GITHUB_EVENT_NAME")) {
      internal.put("github", OrderedJson.map("event_name", env.get("GITHUB_EVENT_NAME"),
          "repository_id", env.getOrDefault("GITHUB_REPOSITORY_ID", ""),
          "repository_owner_id", env.getOrDefault("GITHUB_REPOSITORY_OWNER_ID", "")));
    }

    List<Object> resolved = new ArrayList<>();
    resolved.add(OrderedJson.map("uri", "git+" + sourceUrl + (image.git().tag() == null ? "" : "@refs/tags/" + image.git().tag()),
        "digest", OrderedJson.map("gitCommit", image.git().commit())));
    resolved.add(OrderedJson.map("uri", "oci://" + base.name(), "name", "base",
        "digest", OrderedJson.map("sha256", base.digest().hex())));
    for (ClasspathEntry jar : image.dependencies()) {
      resolved.add(OrderedJson.map("uri", jar.purl(), "name", jar.jar().getFileName().toString(),
          "digest", OrderedJson.map("sha256", sha256(jar))));
    }
    Map<String, Object> buildDefinition = new LinkedHashMap<>();
    buildDefinition.put("buildType", BUILD_TYPE);
    buildDefinition.put("externalParameters", external);
    buildDefinition.put("internalParameters", internal);
    buildDefinition.put("resolvedDependencies", resolved);

    Map<String, Object> builder = new LinkedHashMap<>();
    builder.put("id", builderId());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("invocationId", invocationId());
    metadata.put("startedOn", inputs.startedOn().toString());
    metadata.put("finishedOn", inputs.finishedOn().toString());
    Map<String, Object> runDetails = new LinkedHashMap<>();
    runDetails.put("builder", builder);
    runDetails.put("metadata", metadata);

    Map<String, Object> predicate = new LinkedHashMap<>();
    predicate.put("buildDefinition", buildDefinition);
    predicate.put("runDetails", runDetails);
    statement.put("predicate", predicate);
    return OrderedJson.pretty(statement);
  }

  /** The workflow file that ran the build, or "local" outside GitHub Actions. */
  String builderId() {
    String ref = env.get("GITHUB_WORKFLOW_REF");
    if (ref == null || ref.isBlank()) {
      return "local:release-tool";
    }
    return env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + ref;
  }

  String invocationId() {
    if (!env.containsKey("GITHUB_RUN_ID")) {
      return "";
    }
    return env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + env.get("GITHUB_REPOSITORY")
        + "/actions/runs/" + env.get("GITHUB_RUN_ID") + "/attempts/" + env.getOrDefault("GITHUB_RUN_ATTEMPT", "1");
  }

  private static String workflowGitRef(String workflowRef) {
    // OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.2.3 -> refs/tags/v1.2.3
    int at = workflowRef.indexOf('@');
    return at < 0 ? "" : workflowRef.substring(at + 1);
  }

  private static String workflowPath(String workflowRef) {
    // OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.2.3 -> .github/workflows/release.yml
    int at = workflowRef.indexOf('@');
    String path = at < 0 ? workflowRef : workflowRef.substring(0, at);
    int workflows = path.indexOf(".github/");
    return workflows < 0 ? path : path.substring(workflows);
  }

  private static String sha256(ClasspathEntry jar) throws ReleaseException {
    try (InputStream in = Files.newInputStream(jar.jar())) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new ReleaseException(Failure.IO, "cannot hash " + jar.jar() + ": " + e.getMessage(), e);
    }
  }
}
