package dev.palisade.signing.verify;

import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.intoto.Statement;
import java.time.Instant;

/**
 * A bundle that verified: who signed it, what it says.
 *
 * @param signedAt the transparency log's integrated time; null for key bundles without a log entry
 *     (then no time is attested, and none is shown as if it were)
 */
public record AcceptedBundle(Digest referrer, String signer, Statement statement, Instant signedAt) {
  public String predicateType() {
    return statement.predicateType();
  }
}
