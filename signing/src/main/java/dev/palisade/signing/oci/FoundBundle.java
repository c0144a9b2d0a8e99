package dev.palisade.signing.oci;

import dev.palisade.oci.digest.Digest;

/**
 * A bundle found attached to an image, still unverified: its bytes exactly as stored.
 *
 * @param manifest the referrer manifest (or cosign v2 signature manifest) that carried it
 * @param origin where it was found, for messages ({@code referrers}, {@code sha256-... fallback}, {@code oci layout})
 */
public record FoundBundle(Digest manifest, byte[] json, String origin) {
  public FoundBundle {
    json = json.clone();
  }

  @Override
  public byte[] json() {
    return json.clone();
  }
}
