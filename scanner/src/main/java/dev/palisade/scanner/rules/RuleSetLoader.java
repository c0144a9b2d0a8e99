package dev.palisade.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a rule set from a directory, a single file, or the classpath, validates it and computes its
 * digest. See {@code policies/README.md} for the formats.
 *
 * <p>Digest: SHA-256 over every file the set was loaded from (the manifest included), sorted by
 * relative path; for each file the UTF-8 path, {@code \n}, the decimal byte length, {@code \n}, the
 * canonical bytes, {@code \n}. Canonical bytes drop a UTF-8 BOM and turn CRLF into LF, so a checkout
 * with other line endings keeps the digest.
 */
public final class RuleSetLoader {

  /** Classpath location of the default rule set's manifest. */
  public static final String DEFAULT_MANIFEST = "/policies/ruleset.yaml";
  static final String MANIFEST_FORMAT = "palisade-ruleset/1";
  static final String MANIFEST_NAME = "ruleset.yaml";
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
  private static final Pattern SET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Reads files by path relative to the rule set root. */
  private interface Source {
    byte[] read(String relative) throws RuleSetException;
  }

  private RuleSetLoader() {}

  /** The rule set shipped inside the scanner (classpath {@value #DEFAULT_MANIFEST}). */
  public static RuleSet loadDefault() throws RuleSetException {
    return loadResource(RuleSetLoader.class, DEFAULT_MANIFEST);
  }

  /** A rule set whose manifest is the classpath resource {@code manifest}; listed files are resolved next to it. */
  public static RuleSet loadResource(Class<?> anchor, String manifest) throws RuleSetException {
    int slash = manifest.lastIndexOf('/');
    String dir = manifest.substring(0, slash + 1);
    String manifestName = manifest.substring(slash + 1);
    Source source = relative -> {
      try (InputStream in = anchor.getResourceAsStream(dir + relative)) {
        if (in == null) {
          throw new RuleSetException(relative, "not found on the classpath under " + dir);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new RuleSetException(relative, "cannot read: " + e.getMessage(), e);
      }
    };
    return fromManifest(source, manifestName);
  }

  /**
   * Loads {@code dirOrFile}: a directory with a {@code ruleset.yaml} manifest; a directory without
   * one (every {@code *.yaml}/{@code *.yml} below it, named after the directory, version
   * "unversioned"); a manifest file; or a single rule or hash file.
   */
  public static RuleSet load(Path dirOrFile) throws RuleSetException {
    Path p = dirOrFile.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      Source source = files(p);
      if (Files.isRegularFile(p.resolve(MANIFEST_NAME))) {
        return fromManifest(source, MANIFEST_NAME);
      }
      List<String> names = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(Files::isRegularFile)
            .filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml"))
            .forEach(x -> names.add(p.relativize(x).toString().replace('\\', '/')));
      } catch (IOException e) {
        throw new RuleSetException(p.toString(), "cannot list: " + e.getMessage(), e);
      }
      if (names.isEmpty()) {
        throw new RuleSetException(p.toString(), "no ruleset.yaml and no *.yaml rule files");
      }
      names.sort(null);
      return assemble(source, dirName(p), "unversioned", names, null);
    }
    if (!Files.isRegularFile(p)) {
      throw new RuleSetException(dirOrFile.toString(), "no such file or directory");
    }
    Source source = files(p.getParent());
    String name = p.getFileName().toString();
    byte[] raw = source.read(name);
    if (RulePack.isPack(raw)) {
      return loadPack(name, raw);
    }
    LocatedYaml doc = LocatedYaml.parse(name, canonical(source.read(name)));
    if (MANIFEST_FORMAT.equals(doc.root.path("format").asText())) {
      return fromManifest(source, name);
    }
    String stem = name.replaceFirst("\\.ya?ml$", "").toLowerCase(java.util.Locale.ROOT);
    return assemble(source, SET_NAME.matcher(stem).matches() ? stem : "local", "unversioned", List.of(name), null);
  }

  /** A {@link RulePack}: loaded from its files in memory, refused when its declared digest is not theirs. */
  private static RuleSet loadPack(String where, byte[] raw) throws RuleSetException {
    java.util.Map<String, byte[]> files = RulePack.unpack(where, raw);
    if (!files.containsKey(MANIFEST_NAME)) {
      throw new RuleSetException(where, "a rule pack must hold " + MANIFEST_NAME);
    }
    Source source = relative -> {
      byte[] b = files.get(relative);
      if (b == null) {
        throw new RuleSetException(relative, "listed by the manifest but not in the pack " + where);
      }
      return b;
    };
    RuleSet set = fromManifest(source, MANIFEST_NAME);
    String declared = RulePack.declaredDigest(raw);
    if (!set.digest().equals(declared)) {
      throw new RuleSetException(where, "digest mismatch: the pack declares " + declared + " but its files give " + set.digest());
    }
    if (!new java.util.TreeSet<>(set.files()).equals(files.keySet())) {
      throw new RuleSetException(where, "the pack holds files its manifest does not list: " + files.keySet());
    }
    return set;
  }

  private static RuleSet fromManifest(Source source, String manifestName) throws RuleSetException {
    byte[] bytes = canonical(source.read(manifestName));
    LocatedYaml doc = LocatedYaml.parse(manifestName, bytes);
    Fields f = new Fields(manifestName, doc);
    if (!doc.root.isObject()) {
      throw f.error(null, "a manifest is a mapping with format, name, version, rules and hashes");
    }
    f.onlyKeys(doc.root, "", Set.of("format", "name", "version", "rules", "hashes"));
    String format = f.text(doc.root, "format", "format", true);
    if (!MANIFEST_FORMAT.equals(format)) {
      throw f.error("format", "expected '" + MANIFEST_FORMAT + "'");
    }
    String name = f.text(doc.root, "name", "name", true);
    if (!SET_NAME.matcher(name).matches()) {
      throw f.error("name", "must match " + SET_NAME.pattern());
    }
    String version = f.text(doc.root, "version", "version", true);
    if (!VERSION.matcher(version).matches()) {
      throw f.error("version", "'" + version + "' is not a version like 1.2.3");
    }
    List<String> listed = new ArrayList<>(f.texts(doc.root, "rules", "rules", true));
    listed.addAll(f.texts(doc.root, "hashes", "hashes", false));
    for (int i = 0; i < listed.size(); i++) {
      String rel = listed.get(i);
      if (rel.startsWith("/") || rel.contains("\\") || List.of(rel.split("/")).contains("..")) {
        throw f.error("rules", "'" + rel + "' must be a relative path below the manifest's directory");
      }
    }
    Map<String, byte[]> extra = new HashMap<>();
    extra.put(manifestName, bytes);
    return assemble(source, name, version, listed, extra);
  }

  private static RuleSet assemble(Source source, String name, String version, List<String> files, Map<String, byte[]> alreadyRead)
      throws RuleSetException {
    TreeMap<String, byte[]> contents = new TreeMap<>();
    if (alreadyRead != null) {
      contents.putAll(alreadyRead);
    }
    List<Rule> rules = new ArrayList<>();
    List<KnownBadHash> hashes = new ArrayList<>();
    Map<String, String> ruleFiles = new HashMap<>();
    for (String rel : files) {
      if (contents.containsKey(rel)) {
        throw new RuleSetException(rel, "listed twice");
      }
      byte[] bytes = canonical(source.read(rel));
      contents.put(rel, bytes);
      LocatedYaml doc = LocatedYaml.parse(rel, bytes);
      JsonNode format = doc.root.path("format");
      if (HashListParser.FORMAT.equals(format.asText())) {
        hashes.addAll(HashListParser.parse(rel, doc));
        continue;
      }
      for (Rule r : RuleFileParser.parse(rel, doc)) {
        String other = ruleFiles.putIfAbsent(r.id(), r.source());
        if (other != null) {
          throw new RuleValidationException(rel, r.id(), "id", 0, "duplicate rule id, first defined at " + other);
        }
        rules.add(r);
      }
    }
    if (rules.isEmpty() && hashes.isEmpty()) {
      throw new RuleSetException(name, "the rule set holds no rules and no hashes");
    }
    return new RuleSet(name, version, digest(contents), rules, hashes, new ArrayList<>(contents.keySet()));
  }

  /** {@code sha256:<hex>} over the files, as described in the class comment. */
  static String digest(TreeMap<String, byte[]> canonicalContents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : canonicalContents.entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(Integer.toString(e.getValue().length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(e.getValue());
        sha.update((byte) '\n');
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Drops a UTF-8 BOM and turns CRLF into LF. */
  static byte[] canonical(byte[] raw) {
    int start = raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
    byte[] out = new byte[raw.length - start];
    int n = 0;
    for (int i = start; i < raw.length; i++) {
      if (raw[i] == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
        continue;
      }
      out[n++] = raw[i];
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static Source files(Path root) {
    return relative -> {
      Path file = root.resolve(relative).normalize();
      if (!file.startsWith(root)) {
        throw new RuleSetException(relative, "escapes the rule set directory");
      }
      try {
        return Files.readAllBytes(file);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new RuleSetException(relative, "not found under " + root);
      } catch (IOException e) {
        throw new RuleSetException(relative, "cannot read: " + e.getMessage(), e);
      }
    };
  }

  private static String dirName(Path p) {
    String n = p.getFileName() == null ? "local" : p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return SET_NAME.matcher(n).matches() ? n : "local";
  }
}
