package dev.palisade.signing.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.rekor.client.RekorParseException;
import dev.sigstore.rekor.client.RekorVerificationException;
import dev.sigstore.rekor.client.RekorVerifier;
import dev.sigstore.timestamp.client.ImmutableTimestampResponse;
import dev.sigstore.timestamp.client.TimestampException;
import dev.sigstore.timestamp.client.TimestampVerificationException;
import dev.sigstore.timestamp.client.TimestampVerifier;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Transparency-log entries of bundles signed with a public key, checked as sigstore-java's
 * KeylessVerifier checks them for certificates (it refuses key bundles outright):
 *
 * <ol>
 *   <li>the entry's canonicalized body is of the kind the bundle's {@code kindVersion} claims, and
 *       records exactly this bundle: the same signed digest (artifact for {@code hashedrekord},
 *       DSSE payload for {@code dsse}), the same signature bytes, the same public key;
 *   <li>the log is in the trusted root (by log ID), and the entry's inclusion proof leads from the
 *       body's leaf hash to the root hash; the checkpoint carries that root hash and is signed by
 *       that log's key; the SET, where present, is that log's signature over body, integrated time,
 *       log ID and index (steps 2 are sigstore-java's own {@link RekorVerifier});
 *   <li>an integrated time vouched for by a SET lies within the log key's validity and not in the
 *       future; RFC 3161 timestamps, where present, verify against the trusted root's TSAs over the
 *       signature.
 * </ol>
 *
 * Every entry a bundle carries must pass: an entry that fails is a forgery, even beside a good one.
 */
public final class LogEntryVerifier {

  /** Clock skew tolerated between the log and this machine. */
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final SigstoreTrustedRoot root;
  private final RekorVerifier rekor;

  public LogEntryVerifier(SigstoreTrustedRoot root) {
    this.root = root;
    this.rekor = RekorVerifier.newRekorVerifier(root);
  }

  /** What the log vouches for. {@code time} is null when no SET or timestamp authenticates a time. */
  public record Logged(int entries, Instant time) {}

  /**
   * Verifies all entries of a key bundle whose signature was already verified with {@code signer}.
   *
   * @param required refuse a bundle without any entry (policy {@code transparencyLog: required})
   */
  public Logged verify(SigstoreBundle bundle, PublicKey signer, boolean required) throws BundleRejection {
    JsonNode entries = bundle.material().tlogEntries();
    if (entries.isEmpty()) {
      if (required) {
        throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "has no transparency-log entry, which the policy requires");
      }
      return new Logged(0, null);
    }
    Signed signed = Signed.of(bundle);
    Instant time = null;
    for (int i = 0; i < entries.size(); i++) {
      Instant entryTime = verifyEntry(entries.get(i), signed, signer, "transparency-log entry " + i);
      if (entryTime != null && (time == null || entryTime.isBefore(time))) {
        time = entryTime;
      }
    }
    Instant stamped = verifyTimestamps(bundle, signed.signature());
    if (time == null) {
      time = stamped;
    }
    return new Logged(entries.size(), time);
  }

  /** The digest, signature and entry kind a bundle's log entries must record. */
  private record Signed(String kind, byte[] digest, byte[] signature) {
    static Signed of(SigstoreBundle bundle) throws BundleRejection {
      if (bundle.messageSignature() != null) {
        return new Signed(LogEntryBody.HASHEDREKORD, bundle.messageSignature().sha256(), bundle.messageSignature().signature());
      }
      DsseEnvelope envelope = bundle.dsse();
      if (envelope.signatures().size() != 1) {
        // A log entry records one signature; with several, which one the log vouches for is ambiguous.
        throw new BundleRejection(Failure.SIGNATURE_INVALID,
            "has a transparency-log entry but " + envelope.signatures().size() + " DSSE signatures (exactly one is allowed)");
      }
      return new Signed(LogEntryBody.DSSE, sha256(envelope.payload()), envelope.signatures().get(0).sig());
    }
  }

  private Instant verifyEntry(JsonNode entry, Signed signed, PublicKey signer, String what) throws BundleRejection {
    byte[] body;
    try {
      body = Base64.getDecoder().decode(entry.path("canonicalizedBody").asText(""));
    } catch (IllegalArgumentException e) {
      throw invalid(what + " has a canonicalizedBody that is not base64");
    }
    if (body.length == 0) {
      throw invalid(what + " has no canonicalizedBody");
    }
    LogEntryBody parsed;
    try {
      parsed = LogEntryBody.parse(body);
    } catch (LogEntryBody.BodyException e) {
      throw invalid(what + ": " + e.getMessage());
    }
    String claimedKind = entry.at("/kindVersion/kind").asText("");
    String claimedVersion = entry.at("/kindVersion/version").asText("");
    if (!parsed.kind().equals(claimedKind) || !parsed.apiVersion().equals(claimedVersion)) {
      throw invalid(what + " claims kind " + claimedKind + " " + claimedVersion + " but its body is " + parsed.kind() + " "
          + parsed.apiVersion());
    }
    if (!parsed.kind().equals(signed.kind())) {
      throw invalid(what + " is a " + parsed.kind() + " entry; this bundle's content needs a " + signed.kind() + " entry");
    }
    if (!MessageDigest.isEqual(parsed.digest(), signed.digest())) {
      throw invalid(what + " records another " + (signed.kind().equals(LogEntryBody.DSSE) ? "payload" : "artifact")
          + " digest than the bundle's");
    }
    if (!MessageDigest.isEqual(parsed.signature(), signed.signature())) {
      throw invalid(what + " records another signature than the bundle's");
    }
    if (!parsed.verifierIs(signer)) {
      throw invalid(what + " records " + parsed.describeVerifier() + ", not the key that signed the bundle");
    }

    RekorEntry rekorEntry;
    try {
      rekorEntry = RekorEntry.fromTLogEntryJson(entry.toString());
    } catch (RekorParseException e) {
      throw invalid(what + " is malformed: " + e.getMessage());
    }
    byte[] logId;
    try {
      logId = HexFormat.of().parseHex(rekorEntry.getLogID());
    } catch (IllegalArgumentException e) {
      throw invalid(what + " has a malformed log ID");
    }
    TransparencyLog log = root.getTLogs().stream().filter(t -> Arrays.equals(t.getLogId().getKeyId(), logId)).findFirst()
        .orElseThrow(() -> new BundleRejection(Failure.SIGNER_NOT_TRUSTED,
            what + " is from a transparency log the trusted root does not know (log ID " + rekorEntry.getLogID() + ")"));
    if (rekorEntry.getVerification().getInclusionProof() == null) {
      throw invalid(what + " has no inclusion proof");
    }
    try {
      rekor.verifyEntry(rekorEntry);
    } catch (RekorVerificationException e) {
      throw invalid(what + " does not verify against " + log.getBaseUrl() + ": " + causes(e));
    } catch (RuntimeException e) {
      // sigstore-java's checkpoint and proof parsers throw unchecked exceptions on some garbage.
      throw invalid(what + " does not verify against " + log.getBaseUrl() + ": " + e.getMessage());
    }
    String set = rekorEntry.getVerification().getSignedEntryTimestamp();
    if (set == null || set.isEmpty()) {
      return null; // Rekor v2 entries have no SET; their integrated time (0) is vouched for by nobody
    }
    Instant integrated = rekorEntry.getIntegratedTimeInstant();
    if (!log.getPublicKey().getValidFor().contains(integrated)) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED,
          what + " was integrated at " + integrated + ", outside the validity of log key " + log.getBaseUrl());
    }
    if (integrated.isAfter(Instant.now().plus(SKEW))) {
      throw invalid(what + " claims an integrated time in the future (" + integrated + ")");
    }
    return integrated;
  }

  private Instant verifyTimestamps(SigstoreBundle bundle, byte[] signature) throws BundleRejection {
    JsonNode stamps = bundle.material().timestamps().path("rfc3161Timestamps");
    if (!stamps.isArray() || stamps.isEmpty()) {
      return null;
    }
    TimestampVerifier verifier;
    try {
      verifier = TimestampVerifier.newTimestampVerifier(root);
    } catch (java.security.GeneralSecurityException e) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "has a timestamp, and the trusted root's TSAs cannot be loaded: " + e.getMessage());
    }
    Instant earliest = null;
    for (JsonNode stamp : stamps) {
      try {
        byte[] encoded = Base64.getDecoder().decode(stamp.path("signedTimestamp").asText(""));
        var response = ImmutableTimestampResponse.builder().encoded(encoded).build();
        verifier.verify(response, signature);
        Instant time = response.getGenTime().toInstant();
        earliest = earliest == null || time.isBefore(earliest) ? time : earliest;
      } catch (IllegalArgumentException | TimestampException | TimestampVerificationException e) {
        throw invalid("has an RFC 3161 timestamp that does not verify: " + e.getMessage());
      }
    }
    return earliest;
  }

  private static BundleRejection invalid(String reason) {
    return new BundleRejection(Failure.SIGNATURE_INVALID, reason);
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
