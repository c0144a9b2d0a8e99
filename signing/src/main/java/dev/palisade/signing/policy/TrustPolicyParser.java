package dev.palisade.signing.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.signing.keys.KeyException;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.verify.TrustedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a trust policy file (format in policies/trust/README.md). Everything is checked up front,
 * with the line of the mistake: unknown keys (a typo such as {@code identiy} must not silently widen
 * trust), missing fields, bad regexps, unreadable key files.
 */
public final class TrustPolicyParser {

  private static final Set<String> TOP = Set.of("version", "policies");
  private static final Set<String> RULE = Set.of("name", "images", "signers", "transparencyLog", "attestations", "trustedRoot");
  private static final Set<String> SIGNER = Set.of("key", "identity", "identityRegexp", "issuer", "issuerRegexp");
  private static final Set<String> ATTESTATION = Set.of("predicateType", "where");
  private static final Set<String> CONDITION = Set.of("path", "equals", "matches");

  private TrustPolicyParser() {}

  public static TrustPolicy parse(Path file) throws PolicyException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(file.toString(), 0, "cannot read the trust policy: " + e.getMessage());
    }
    return parse(file.toString(), content, file.toAbsolutePath().getParent());
  }

  /** @param baseDirectory key files and trusted roots are resolved against it */
  public static TrustPolicy parse(String name, byte[] content, Path baseDirectory) throws PolicyException {
    LocatedTree tree = LocatedTree.parse(name, content);
    JsonNode root = tree.root;
    if (!root.isObject()) {
      throw tree.error("", "the policy must be a mapping with 'version' and 'policies'");
    }
    checkKeys(tree, root, "", TOP);
    if (!"1".equals(root.path("version").asText())) {
      throw tree.error("version", "version must be 1");
    }
    JsonNode rules = root.get("policies");
    if (rules == null || !rules.isArray() || rules.isEmpty()) {
      throw tree.error("policies", "policies must be a non-empty list");
    }
    List<PolicyRule> parsed = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      parsed.add(rule(tree, rules.get(i), "policies[" + i + "]", baseDirectory));
    }
    return new TrustPolicy(name, parsed);
  }

  private static PolicyRule rule(LocatedTree tree, JsonNode node, String path, Path base) throws PolicyException {
    if (!node.isObject()) {
      throw tree.error(path, "each policy must be a mapping");
    }
    checkKeys(tree, node, path, RULE);
    String name = requiredText(tree, node, path, "name");
    List<String> images = new ArrayList<>();
    JsonNode imageList = node.get("images");
    if (imageList == null || !imageList.isArray() || imageList.isEmpty()) {
      throw tree.error(path + ".images", "images must be a non-empty list of registry/repository patterns");
    }
    for (int i = 0; i < imageList.size(); i++) {
      String image = imageList.get(i).asText("");
      if (image.isEmpty() || !image.contains("/")) {
        throw tree.error(path + ".images[" + i + "]", "'" + image + "' is not a registry/repository pattern (e.g. ghcr.io/acme/*)");
      }
      images.add(image);
    }
    JsonNode signerList = node.get("signers");
    if (signerList == null || !signerList.isArray() || signerList.isEmpty()) {
      throw tree.error(path + ".signers", "signers must be a non-empty list (a policy that trusts nobody refuses everything)");
    }
    List<Identity> identities = new ArrayList<>();
    for (int i = 0; i < signerList.size(); i++) {
      identities.add(signer(tree, signerList.get(i), path + ".signers[" + i + "]", base));
    }
    boolean tlog = false;
    JsonNode tlogNode = node.get("transparencyLog");
    if (tlogNode != null) {
      String value = tlogNode.asText("");
      if (!value.equals("required") && !value.equals("optional")) {
        throw tree.error(path + ".transparencyLog", "transparencyLog must be 'required' or 'optional', not '" + value + "'");
      }
      tlog = value.equals("required");
    }
    List<AttestationRequirement> attestations = new ArrayList<>();
    JsonNode attestationList = node.get("attestations");
    if (attestationList != null) {
      if (!attestationList.isArray()) {
        throw tree.error(path + ".attestations", "attestations must be a list");
      }
      for (int i = 0; i < attestationList.size(); i++) {
        attestations.add(attestation(tree, attestationList.get(i), path + ".attestations[" + i + "]"));
      }
    }
    Path trustedRoot = null;
    if (node.has("trustedRoot")) {
      trustedRoot = base.resolve(requiredText(tree, node, path, "trustedRoot"));
      if (!Files.isRegularFile(trustedRoot)) {
        throw tree.error(path + ".trustedRoot", "trusted root " + trustedRoot + " does not exist");
      }
    }
    return new PolicyRule(name, images, identities, tlog, attestations, trustedRoot);
  }

  private static Identity signer(LocatedTree tree, JsonNode node, String path, Path base) throws PolicyException {
    if (!node.isObject()) {
      throw tree.error(path, "each signer must be a mapping with 'key', or 'identity'/'identityRegexp' and 'issuer'/'issuerRegexp'");
    }
    checkKeys(tree, node, path, SIGNER);
    if (node.has("key")) {
      if (node.size() != 1) {
        throw tree.error(path, "a key signer takes only 'key'");
      }
      Path keyFile = base.resolve(requiredText(tree, node, path, "key"));
      try {
        return new Identity.Key(new TrustedKey(keyFile.getFileName().toString(), PemKeys.readPublicKey(keyFile)));
      } catch (KeyException e) {
        throw tree.error(path + ".key", e.getMessage());
      }
    }
    if (node.has("identity") == node.has("identityRegexp")) {
      throw tree.error(path, "give exactly one of identity or identityRegexp");
    }
    if (node.has("issuer") == node.has("issuerRegexp")) {
      throw tree.error(path, "give exactly one of issuer or issuerRegexp (an identity without its issuer trusts any login provider)");
    }
    return new Identity.Certificate(
        node.has("identity") ? requiredText(tree, node, path, "identity") : null,
        node.has("identityRegexp") ? regex(tree, node, path, "identityRegexp") : null,
        node.has("issuer") ? requiredText(tree, node, path, "issuer") : null,
        node.has("issuerRegexp") ? regex(tree, node, path, "issuerRegexp") : null);
  }

  private static AttestationRequirement attestation(LocatedTree tree, JsonNode node, String path) throws PolicyException {
    if (!node.isObject()) {
      throw tree.error(path, "each attestation must be a mapping with 'predicateType'");
    }
    checkKeys(tree, node, path, ATTESTATION);
    String predicateType = requiredText(tree, node, path, "predicateType");
    List<AttestationRequirement.Condition> conditions = new ArrayList<>();
    JsonNode where = node.get("where");
    if (where != null) {
      if (!where.isArray()) {
        throw tree.error(path + ".where", "where must be a list of {path, equals | matches}");
      }
      for (int i = 0; i < where.size(); i++) {
        String conditionPath = path + ".where[" + i + "]";
        JsonNode condition = where.get(i);
        if (!condition.isObject()) {
          throw tree.error(conditionPath, "a condition must be a mapping");
        }
        checkKeys(tree, condition, conditionPath, CONDITION);
        String pointer = requiredText(tree, condition, conditionPath, "path");
        if (!pointer.startsWith("/")) {
          throw tree.error(conditionPath + ".path", "path must be a JSON pointer starting with '/', not '" + pointer + "'");
        }
        if (condition.has("equals") == condition.has("matches")) {
          throw tree.error(conditionPath, "give exactly one of equals or matches");
        }
        conditions.add(new AttestationRequirement.Condition(pointer,
            condition.has("equals") ? requiredText(tree, condition, conditionPath, "equals") : null,
            condition.has("matches") ? regex(tree, condition, conditionPath, "matches") : null));
      }
    }
    return new AttestationRequirement(predicateType, conditions);
  }

  private static void checkKeys(LocatedTree tree, JsonNode node, String path, Set<String> allowed) throws PolicyException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw tree.error(path.isEmpty() ? name : path + "." + name,
            "unknown key '" + name + "' (expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private static String requiredText(LocatedTree tree, JsonNode node, String path, String field) throws PolicyException {
    JsonNode value = node.get(field);
    String child = path.isEmpty() ? field : path + "." + field;
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw tree.error(value == null ? path : child, field + " is required and must be a non-empty string");
    }
    return value.textValue();
  }

  private static Pattern regex(LocatedTree tree, JsonNode node, String path, String field) throws PolicyException {
    String text = requiredText(tree, node, path, field);
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw tree.error(path + "." + field, "invalid regular expression: " + e.getDescription());
    }
  }
}
