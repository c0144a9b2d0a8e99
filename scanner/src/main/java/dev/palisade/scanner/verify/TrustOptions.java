package dev.palisade.scanner.verify;

import dev.palisade.cli.UsageException;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.policy.AttestationRequirement;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.policy.PolicyRule;
import dev.palisade.signing.policy.TrustPolicy;
import dev.palisade.signing.policy.TrustPolicyParser;
import dev.palisade.signing.verify.Failure;
import dev.palisade.signing.verify.TrustedKey;
import dev.palisade.signing.verify.VerificationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/**
 * Who to trust, as options shared by {@code verify} and {@code pull}: a policy file, or one-off
 * flags (as cosign spells them). Exactly one of the two.
 */
public final class TrustOptions {

  @Option(names = "--policy", paramLabel = "FILE", description = "Trust policy (YAML, see policies/trust/README.md).")
  public Path policy;

  @Option(names = "--key", paramLabel = "PEM", description = "Trust signatures by this ECDSA P-256 public key (repeatable).")
  public List<Path> keys = new ArrayList<>();

  @Option(names = "--certificate-identity", paramLabel = "SAN", description = "Trust keyless signatures by exactly this identity.")
  public String identity;

  @Option(names = "--certificate-identity-regexp", paramLabel = "REGEX", description = "Trust keyless signatures by identities matching this.")
  public String identityRegexp;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "The OIDC issuer the identity logged in at.")
  public String issuer;

  @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEX", description = "OIDC issuers matching this.")
  public String issuerRegexp;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Sigstore trusted_root.json for keyless bundles (private or air-gapped Sigstore; default: the public-good root pinned in this build).")
  public Path trustedRoot;

  @Option(names = "--require-attestation", paramLabel = "PREDICATE_TYPE",
      description = "Also require a signed attestation of this predicate type (repeatable; sbom and provenance are short for CycloneDX and SLSA v1).")
  public List<String> requiredAttestations = new ArrayList<>();

  @Option(names = "--require-tlog", description = "Refuse bundles without a transparency-log entry.")
  public boolean requireTlog;

  /** The rule for this repository, from the policy file or the flags. */
  public PolicyRule ruleFor(String repositoryPath) throws UsageException, SigningException {
    boolean flags = !keys.isEmpty() || identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    if (policy != null && flags) {
      throw new UsageException("give either --policy or --key/--certificate-* flags, not both");
    }
    if (policy != null) {
      if (!requiredAttestations.isEmpty() || requireTlog) {
        throw new UsageException("--require-attestation and --require-tlog go into the policy file when --policy is used");
      }
      TrustPolicy parsed = TrustPolicyParser.parse(policy);
      return parsed.ruleFor(repositoryPath).orElseThrow(() -> new VerificationException(Failure.SIGNER_NOT_TRUSTED,
          "no policy in " + policy + " covers " + repositoryPath + ", so no signer is trusted for it"));
    }
    if (!flags) {
      throw new UsageException("say whom to trust: --key PEM, --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], or --policy FILE");
    }
    List<Identity> identities = new ArrayList<>();
    for (Path key : keys) {
      identities.add(new Identity.Key(new TrustedKey(key.getFileName().toString(), PemKeys.readPublicKey(key))));
    }
    if (identity != null || identityRegexp != null || issuer != null || issuerRegexp != null) {
      if ((identity == null) == (identityRegexp == null)) {
        throw new UsageException("give exactly one of --certificate-identity or --certificate-identity-regexp");
      }
      if ((issuer == null) == (issuerRegexp == null)) {
        throw new UsageException("give exactly one of --certificate-oidc-issuer or --certificate-oidc-issuer-regexp");
      }
      identities.add(new Identity.Certificate(identity, regex(identityRegexp, "--certificate-identity-regexp"),
          issuer, regex(issuerRegexp, "--certificate-oidc-issuer-regexp")));
    }
    List<AttestationRequirement> attestations = new ArrayList<>();
    for (String type : requiredAttestations) {
      String predicateType = switch (type) {
        case "sbom" -> PredicateTypes.CYCLONEDX_BOM;
        case "provenance" -> PredicateTypes.SLSA_PROVENANCE_V1;
        default -> type;
      };
      attestations.add(new AttestationRequirement(predicateType, List.of()));
    }
    return new PolicyRule("command line", List.of("**"), identities, requireTlog, attestations, null);
  }

  /** The trusted root for keyless bundles: --trusted-root, else the policy rule's, else the pinned public-good root. */
  public Path trustedRootFor(PolicyRule rule) throws SigningException {
    if (trustedRoot != null) {
      return trustedRoot;
    }
    return rule.trustedRoot() != null ? rule.trustedRoot() : dev.palisade.signing.keyless.PublicGoodRoot.path();
  }

  private static Pattern regex(String text, String option) throws UsageException {
    if (text == null) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new UsageException(option + ": invalid regular expression: " + e.getDescription());
    }
  }
}
