package dev.palisade.scanner.verify;

import dev.palisade.cli.UsageException;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.keyless.KeylessBundleVerifier;
import dev.palisade.signing.policy.PolicyRule;
import dev.palisade.signing.verify.ImageVerification;
import dev.palisade.signing.verify.ImageVerifier;

/** verify's core, shared with pull: the rule for the image's repository, then the verifier. */
public final class ImageVerificationRun {
  private ImageVerificationRun() {}

  public static ImageVerification run(ResolvedImage image, TrustOptions trust) throws UsageException, SigningException {
    PolicyRule rule = trust.ruleFor(image.repositoryPath());
    ImageVerifier.KeylessSource keyless = () -> new KeylessBundleVerifier(trust.trustedRootFor(rule));
    return new ImageVerifier(keyless).verify(image.store(), image.digest(), rule);
  }
}
