package dev.palisade.scanner.verify;

import dev.palisade.signing.verify.AcceptedBundle;
import dev.palisade.signing.verify.ImageVerification;
import java.time.format.DateTimeFormatter;

/** The human report of a passed verification: what was verified, by whom, when. */
public final class VerificationText {
  private VerificationText() {}

  public static String render(ResolvedImage image, ImageVerification result) {
    StringBuilder out = new StringBuilder();
    out.append("Verified ").append(image.input()).append('\n');
    out.append("  digest: ").append(result.image()).append('\n');
    out.append("  policy: ").append(result.policy()).append('\n');
    for (AcceptedBundle signature : result.signatures()) {
      out.append("  signature: by ").append(signature.signer()).append(", ").append(when(signature)).append('\n');
    }
    for (AcceptedBundle attestation : result.attestations()) {
      out.append("  attestation: ").append(attestation.predicateType()).append(" by ").append(attestation.signer())
          .append(", ").append(when(attestation)).append('\n');
    }
    for (String ignored : result.ignored()) {
      out.append("  ignored: ").append(ignored).append('\n');
    }
    return out.toString();
  }

  private static String when(AcceptedBundle bundle) {
    return bundle.signedAt() == null
        ? "time not attested (key signature without a transparency-log entry)"
        : "logged at " + DateTimeFormatter.ISO_INSTANT.format(bundle.signedAt());
  }
}
