package dev.palisade.signing.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleFormatException;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.intoto.Statement;
import dev.palisade.signing.intoto.StatementException;
import dev.palisade.signing.keyless.KeylessBundleVerifier;
import dev.palisade.signing.oci.FoundBundle;
import dev.palisade.signing.oci.LegacySignature;
import dev.palisade.signing.oci.LegacySignatureSource;
import dev.palisade.signing.oci.ReferrerStore;
import dev.palisade.signing.policy.AttestationRequirement;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.policy.PolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Verifies one image digest against one policy rule. Works only with the digest it is given (the
 * caller resolved any tag once, before): every statement must name that digest.
 *
 * <p>A bundle counts when its signature verifies, its signer is accepted by the rule, and its
 * statement is about this digest. The image passes when at least one counting bundle is a signature
 * ({@code https://sigstore.dev/cosign/sign/v1}) and every required attestation has a counting bundle
 * that satisfies its conditions. Bundles that do not count are reported, not fatal: anyone with push
 * access can attach junk, and that must not be a way to block a release.
 */
public final class ImageVerifier {

  /** Supplies the keyless verifier on first use: loading a trusted root is wasted work for key-only images. */
  @FunctionalInterface
  public interface KeylessSource {
    KeylessBundleVerifier get() throws SigningException;
  }

  private final KeylessSource keylessSource;
  private KeylessBundleVerifier keyless;

  /** @param keyless null when no trusted root is configured: keyless bundles are then refused */
  public ImageVerifier(KeylessBundleVerifier keyless) {
    this(keyless == null ? null : () -> keyless);
  }

  /** @param keylessSource null when no trusted root is configured: keyless bundles are then refused */
  public ImageVerifier(KeylessSource keylessSource) {
    this.keylessSource = keylessSource;
  }

  /** A trusted root that cannot be loaded is the caller's bad input, not a verdict on one bundle. */
  private static final class KeylessSetupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeylessSetupFailure(SigningException cause) {
      super(cause);
    }
  }

  private KeylessBundleVerifier keyless() {
    if (keyless == null && keylessSource != null) {
      try {
        keyless = keylessSource.get();
      } catch (SigningException e) {
        throw new KeylessSetupFailure(e);
      }
    }
    return keyless;
  }

  private record Rejected(Failure failure, String predicateType, String reason) {}

  public ImageVerification verify(ReferrerStore store, Digest image, PolicyRule rule) throws SigningException {
    List<FoundBundle> found = store.bundles(image);
    List<LegacySignature> legacy = store instanceof LegacySignatureSource source ? source.legacySignatures(image) : List.of();
    if (found.isEmpty() && legacy.isEmpty()) {
      throw new VerificationException(Failure.NOT_SIGNED,
          store.describe() + "@" + image + " is not signed: no Sigstore bundle is attached to it");
    }
    List<AcceptedBundle> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (FoundBundle bundle : found) {
      try {
        accepted.add(check(bundle, image, rule));
      } catch (BundleRejectionWithType e) {
        rejected.add(new Rejected(e.rejection.failure(), e.predicateType, bundle.origin() + " " + e.rejection.getMessage()));
      } catch (KeylessSetupFailure e) {
        throw (SigningException) e.getCause();
      }
    }
    for (LegacySignature signature : legacy) {
      try {
        accepted.add(LegacySignatureVerifier.verify(signature, image, keys(rule)));
      } catch (BundleRejection e) {
        String type = signature.kind() == LegacySignature.Kind.SIGNATURE ? PredicateTypes.COSIGN_SIGN : null;
        rejected.add(new Rejected(e.failure(), type, signature.origin() + " " + e.getMessage()));
      }
    }
    List<String> ignored = new ArrayList<>();
    rejected.forEach(r -> ignored.add(r.reason()));
    List<AcceptedBundle> signatures = accepted.stream().filter(a -> PredicateTypes.COSIGN_SIGN.equals(a.predicateType())).toList();
    List<AcceptedBundle> attestations = accepted.stream().filter(a -> !PredicateTypes.COSIGN_SIGN.equals(a.predicateType())).toList();
    if (signatures.isEmpty()) {
      List<Rejected> signatureRejections = rejected.stream()
          .filter(r -> r.predicateType() == null || PredicateTypes.COSIGN_SIGN.equals(r.predicateType())).toList();
      Failure failure = worst(signatureRejections);
      String summary = switch (failure) {
        case SIGNATURE_INVALID -> "has a signature that does not verify";
        case SIGNER_NOT_TRUSTED -> "is signed, but not by a signer policy '" + rule.name() + "' accepts";
        default -> "is not signed: no image signature among its " + (found.size() + legacy.size()) + " bundle(s)";
      };
      throw new VerificationException(failure, store.describe() + "@" + image + " " + summary, ignored);
    }
    for (AttestationRequirement requirement : rule.attestations()) {
      List<String> reasons = new ArrayList<>();
      boolean satisfied = false;
      for (AcceptedBundle attestation : attestations) {
        if (!attestation.predicateType().equals(requirement.predicateType())) {
          continue;
        }
        List<String> failures = requirement.failures(attestation.statement().predicate());
        if (failures.isEmpty()) {
          satisfied = true;
          break;
        }
        reasons.add("attestation " + attestation.referrer().shortHex() + ": " + String.join("; ", failures));
      }
      if (!satisfied) {
        for (Rejected r : rejected) {
          if (requirement.predicateType().equals(r.predicateType())) {
            reasons.add(r.reason());
          }
        }
        String summary = reasons.isEmpty()
            ? "has no " + requirement.predicateType() + " attestation"
            : "has no acceptable " + requirement.predicateType() + " attestation";
        throw new VerificationException(Failure.ATTESTATION_FAILED, store.describe() + "@" + image + " " + summary
            + " (required by policy '" + rule.name() + "')", reasons);
      }
    }
    return new ImageVerification(image, rule.name(), signatures, attestations, ignored);
  }

  /** The most telling failure: a broken signature beats an untrusted signer beats "not signed". */
  private static Failure worst(List<Rejected> rejections) {
    Set<Failure> seen = EnumSet.noneOf(Failure.class);
    rejections.forEach(r -> seen.add(r.failure()));
    if (seen.contains(Failure.SIGNATURE_INVALID)) {
      return Failure.SIGNATURE_INVALID;
    }
    if (seen.contains(Failure.SIGNER_NOT_TRUSTED)) {
      return Failure.SIGNER_NOT_TRUSTED;
    }
    return Failure.NOT_SIGNED;
  }

  private static final class BundleRejectionWithType extends Exception {
    private static final long serialVersionUID = 1L;
    final transient BundleRejection rejection;
    final String predicateType;

    BundleRejectionWithType(BundleRejection rejection, String predicateType) {
      super(rejection.getMessage(), null, false, false);
      this.rejection = rejection;
      this.predicateType = predicateType;
    }
  }

  private AcceptedBundle check(FoundBundle found, Digest image, PolicyRule rule) throws BundleRejectionWithType {
    SigstoreBundle bundle;
    try {
      bundle = BundleJson.parse(found.json(), "bundle");
    } catch (BundleFormatException e) {
      throw new BundleRejectionWithType(new BundleRejection(Failure.SIGNATURE_INVALID, "is malformed: " + e.getMessage()), null);
    }
    if (bundle.dsse() == null) {
      throw new BundleRejectionWithType(new BundleRejection(Failure.SIGNATURE_INVALID,
          "is a message signature; image signatures are DSSE in-toto statements"), null);
    }
    // The predicate type is read before the signature is checked only to classify failures; nothing
    // from an unverified payload is trusted.
    String claimedType = claimedPredicateType(bundle);
    try {
      if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(bundle.dsse().payloadType())) {
        throw new BundleRejection(Failure.SIGNATURE_INVALID, "has payload type " + bundle.dsse().payloadType() + ", not in-toto");
      }
      Statement statement;
      try {
        statement = Statement.parse(bundle.dsse().payload(), "bundle payload");
      } catch (StatementException e) {
        throw new BundleRejection(Failure.SIGNATURE_INVALID, e.getMessage());
      }
      String signer;
      Instant signedAt = null;
      if (bundle.material().isPublicKey()) {
        TrustedKey key = KeyBundleVerifier.verifyDsse(bundle, keys(rule));
        signer = "key " + key.name();
        signedAt = logEntries(bundle, key, rule);
      } else {
        KeylessBundleVerifier verifier = keyless();
        if (verifier == null) {
          throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is keyless, and no Sigstore trusted root is configured (--trusted-root)");
        }
        // sigstore-java checks the statement's subject against this digest as part of DSSE verification.
        signer = verifier.verify(found.json(), HexFormat.of().parseHex(image.hex()), certificates(rule));
        signedAt = integratedTime(bundle);
      }
      if (!statement.coversDigest(image)) {
        Failure failure = PredicateTypes.COSIGN_SIGN.equals(statement.predicateType()) ? Failure.SIGNATURE_INVALID : Failure.ATTESTATION_FAILED;
        throw new BundleRejection(failure, "(" + statement.predicateType() + ") is about " + subjects(statement) + ", not " + image);
      }
      return new AcceptedBundle(found.manifest(), signer, statement, signedAt);
    } catch (BundleRejection e) {
      throw new BundleRejectionWithType(e, claimedType);
    }
  }

  /**
   * A key bundle's log entries: all verified when present (a broken entry is a forgery even where the
   * policy does not ask for one), at least one when the policy requires it.
   */
  private Instant logEntries(SigstoreBundle bundle, TrustedKey key, PolicyRule rule) throws BundleRejection {
    boolean hasEntries = !bundle.material().tlogEntries().isEmpty();
    if (!hasEntries && rule.transparencyLogRequired()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED,
          "is signed with a key and has no transparency-log entry, which policy '" + rule.name() + "' requires");
    }
    if (!hasEntries) {
      return null;
    }
    KeylessBundleVerifier trust = keyless();
    if (trust == null) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED,
          "carries a transparency-log entry, and no Sigstore trusted root is configured to check it (--trusted-root)");
    }
    return trust.logEntries().verify(bundle, key.key(), rule.transparencyLogRequired()).time();
  }

  private static String claimedPredicateType(SigstoreBundle bundle) {
    try {
      JsonNode type = BundleJson.readTree(bundle.dsse().payload()).get("predicateType");
      return type != null && type.isTextual() ? type.textValue() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /**
   * When a verified keyless bundle was signed: the log's integrated time (Rekor v1), else the
   * earliest RFC 3161 timestamp (Rekor v2 entries have no integrated time; sigstore-java verified
   * the timestamps against the trusted root's TSAs before we get here).
   */
  private static Instant integratedTime(SigstoreBundle bundle) {
    for (JsonNode entry : bundle.material().tlogEntries()) {
      JsonNode time = entry.get("integratedTime");
      if (time != null && time.asLong(0) > 0) {
        return Instant.ofEpochSecond(time.asLong());
      }
    }
    Instant earliest = null;
    for (JsonNode stamp : bundle.material().timestamps().path("rfc3161Timestamps")) {
      try {
        byte[] encoded = java.util.Base64.getDecoder().decode(stamp.path("signedTimestamp").asText(""));
        Instant time = dev.sigstore.timestamp.client.ImmutableTimestampResponse.builder().encoded(encoded).build()
            .getGenTime().toInstant();
        earliest = earliest == null || time.isBefore(earliest) ? time : earliest;
      } catch (IllegalArgumentException | dev.sigstore.timestamp.client.TimestampException e) {
        // unreachable for a bundle sigstore-java accepted; then simply no time is shown
      }
    }
    return earliest;
  }

  private static String subjects(Statement statement) {
    List<String> out = new ArrayList<>();
    statement.subjects().forEach(s -> s.digest().forEach((algorithm, hex) -> out.add(algorithm + ":" + hex)));
    return String.join(", ", out);
  }

  static List<TrustedKey> keys(PolicyRule rule) {
    List<TrustedKey> keys = new ArrayList<>();
    for (Identity identity : rule.identities()) {
      if (identity instanceof Identity.Key key) {
        keys.add(key.key());
      }
    }
    return keys;
  }

  static List<Identity.Certificate> certificates(PolicyRule rule) {
    List<Identity.Certificate> certificates = new ArrayList<>();
    for (Identity identity : rule.identities()) {
      if (identity instanceof Identity.Certificate certificate) {
        certificates.add(certificate);
      }
    }
    return certificates;
  }
}
