package dev.palisade.signing.keyless;

import dev.palisade.signing.SigningException;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.palisade.signing.tlog.LogEntryVerifier;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyless bundles (Fulcio certificate, Rekor entry, timestamps) verified by sigstore-java's
 * unmodified {@link KeylessVerifier} against a trusted root read from a file: fully offline. We only
 * translate the policy's identities into its certificate matchers and its failures into ours.
 */
public final class KeylessBundleVerifier {

  private final KeylessVerifier verifier;
  private final Path trustedRoot;
  private final LogEntryVerifier logEntries;

  public KeylessBundleVerifier(Path trustedRoot) throws SigningException {
    this.trustedRoot = trustedRoot;
    TrustedRootValidity.check(trustedRoot);
    try {
      // Read once: the same root then vouches for key bundles' log entries (see logEntries()).
      SigstoreTrustedRoot root = TrustedRootProvider.from(trustedRoot).get();
      this.verifier = KeylessVerifier.builder().trustedRootProvider(() -> root).build();
      this.logEntries = new LogEntryVerifier(root);
    } catch (Exception e) {
      throw new SigningException("cannot load the Sigstore trusted root " + trustedRoot + ": " + e.getMessage(), e);
    }
  }

  /** The same trusted root's transparency logs and TSAs, for entries in bundles signed with a key. */
  public LogEntryVerifier logEntries() {
    return logEntries;
  }

  public Path trustedRoot() {
    return trustedRoot;
  }

  /**
   * Verifies a bundle over an artifact digest (for DSSE bundles: the statement's subject digest).
   *
   * @return the signer as {@code SAN (issuer)}
   */
  public String verify(byte[] bundleJson, byte[] artifactSha256, List<Identity.Certificate> identities) throws BundleRejection {
    if (identities.isEmpty()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is keyless, and no certificate identity is trusted here");
    }
    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(new String(bundleJson, StandardCharsets.UTF_8)));
    } catch (BundleParseException | RuntimeException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "is not a keyless bundle sigstore-java can read: " + e.getMessage());
    }
    if (bundle.getCertPath().getCertificates().isEmpty()) {
      // sigstore-java 2.0.0 reads an empty chain and then fails with an IndexOutOfBoundsException.
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "has an empty certificate chain");
    }
    // First without identity constraints: a bundle that fails here is broken or from an untrusted CA/log.
    try {
      verifier.verify(artifactSha256, bundle, VerificationOptions.empty());
    } catch (KeylessVerificationException e) {
      throw new BundleRejection(classify(e), "keyless verification failed: " + e.getMessage());
    } catch (RuntimeException e) {
      // Unchecked failures inside sigstore-java on malformed input are still a refusal, never a pass
      // and never a stack trace.
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "could not be verified: " + e);
    }
    X509Certificate leaf = (X509Certificate) bundle.getCertPath().getCertificates().get(0);
    checkLoggedWithinCertificateValidity(bundleJson, leaf);
    List<VerificationOptions.CertificateMatcher> matchers = new ArrayList<>();
    try {
      for (Identity.Certificate identity : identities) {
        matchers.add(VerificationOptions.CertificateMatcher.fulcio()
            .subjectAlternativeName(identity.san() != null ? StringMatcher.string(identity.san()) : StringMatcher.regex(identity.sanRegexp().pattern()))
            .issuer(identity.issuer() != null ? StringMatcher.string(identity.issuer()) : StringMatcher.regex(identity.issuerRegexp().pattern()))
            .build());
      }
      verifier.verify(artifactSha256, bundle, VerificationOptions.builder().addAllCertificateMatchers(matchers).build());
    } catch (KeylessVerificationException e) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is signed by " + CertificateNames.describe(leaf) + ", not an accepted identity");
    } catch (dev.sigstore.strings.RegexSyntaxException e) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "an identity regexp is invalid: " + e.getMessage());
    }
    return CertificateNames.describe(leaf);
  }

  /**
   * sigstore-java 2.0.0 verifies a Rekor v1 entry's SET (which signs the integrated time) but never
   * compares that time with the certificate (2.2.0 does; RFC 3161 times it does check): a Fulcio
   * certificate lives ten minutes, so an entry logged outside that window was not made while the
   * ephemeral key was vouched for. Only times a SET covers are used; entries without one (Rekor v2)
   * rely on the timestamps sigstore-java checked.
   */
  private static void checkLoggedWithinCertificateValidity(byte[] bundleJson, X509Certificate leaf) throws BundleRejection {
    com.fasterxml.jackson.databind.JsonNode entries;
    try {
      entries = dev.palisade.signing.bundle.BundleJson.readTree(bundleJson).at("/verificationMaterial/tlogEntries");
    } catch (java.io.IOException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "is not valid JSON");
    }
    for (com.fasterxml.jackson.databind.JsonNode entry : entries) {
      long integrated = entry.path("integratedTime").asLong(0);
      boolean hasSet = !entry.at("/inclusionPromise/signedEntryTimestamp").asText("").isEmpty();
      if (!hasSet || integrated <= 0) {
        continue;
      }
      java.time.Instant time = java.time.Instant.ofEpochSecond(integrated);
      try {
        leaf.checkValidity(java.util.Date.from(time));
      } catch (java.security.cert.CertificateExpiredException | java.security.cert.CertificateNotYetValidException e) {
        throw new BundleRejection(Failure.SIGNATURE_INVALID, "was logged at " + time + ", outside its certificate's validity ("
            + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
      }
    }
  }

  /**
   * A certificate that does not chain to a trusted CA, or an entry in a log we do not know, means
   * someone we do not trust signed: "signer not trusted". Everything else (signature, digests,
   * inclusion proof, checkpoint) means the bundle is broken or forged: "signature invalid".
   */
  private static Failure classify(KeylessVerificationException e) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    String text = messages.toString();
    if (text.startsWith("Fulcio certificate was not valid") || text.contains("does not match any provided transparency logs")) {
      return Failure.SIGNER_NOT_TRUSTED;
    }
    return Failure.SIGNATURE_INVALID;
  }
}
