package dev.palisade.signing.policy;

import dev.palisade.signing.verify.TrustedKey;
import java.util.regex.Pattern;

/** Who a policy accepts as a signer: a public key, or a keyless certificate identity. */
public sealed interface Identity {

  /** A signer holding this key. */
  record Key(TrustedKey key) implements Identity {}

  /**
   * A keyless signer: the certificate's SAN (exactly {@code san}, or matching {@code sanRegexp})
   * issued after an OIDC login at the issuer ({@code issuer} or {@code issuerRegexp}). Exactly one
   * of each pair is set; regexps must match the whole value.
   */
  record Certificate(String san, Pattern sanRegexp, String issuer, Pattern issuerRegexp) implements Identity {
    public Certificate {
      if ((san == null) == (sanRegexp == null)) {
        throw new IllegalArgumentException("exactly one of identity or identityRegexp");
      }
      if ((issuer == null) == (issuerRegexp == null)) {
        throw new IllegalArgumentException("exactly one of issuer or issuerRegexp");
      }
    }

    public String describe() {
      return (san != null ? san : "/" + sanRegexp.pattern() + "/") + " from " + (issuer != null ? issuer : "/" + issuerRegexp.pattern() + "/");
    }
  }
}
