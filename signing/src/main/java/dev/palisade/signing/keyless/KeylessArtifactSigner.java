package dev.palisade.signing.keyless;

import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleFormatException;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.sign.ArtifactSigner;
import dev.sigstore.KeylessSigner;
import dev.sigstore.SigningConfigProvider;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.TokenStringOidcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Keyless signing through sigstore-java's {@link KeylessSigner}: an ephemeral key, a Fulcio
 * certificate for the OIDC identity, a Rekor entry. Custom Sigstore instances come as a signing
 * config (v0.2) plus a trusted root, the only way sigstore-java 2.0.0 takes custom URLs.
 *
 * <p>Limits of sigstore-java 2.0.0: DSSE ({@link #signDsse}, for image signatures and attestations)
 * needs Rekor v2 and a timestamp authority in the signing config; message signatures work with
 * Rekor v1.
 */
public final class KeylessArtifactSigner implements ArtifactSigner, AutoCloseable {

  private final KeylessSigner signer;

  private KeylessArtifactSigner(KeylessSigner signer) {
    this.signer = signer;
  }

  /** A private or test Sigstore. */
  public static KeylessArtifactSigner create(Path signingConfig, Path trustedRoot, String identityToken, boolean rekorV2)
      throws SigningException {
    try {
      return new KeylessArtifactSigner(KeylessSigner.builder()
          .signingConfigProvider(SigningConfigProvider.from(signingConfig))
          .trustedRootProvider(TrustedRootProvider.from(trustedRoot))
          .forceCredentialProviders(OidcClients.of(TokenStringOidcClient.from(identityToken)))
          // Only sigstorePublicDefaults() sets an algorithm; custom instances must name it. P-256 as public-good.
          .signingAlgorithm(dev.sigstore.AlgorithmRegistry.SigningAlgorithm.PKIX_ECDSA_P256_SHA_256)
          .enableRekorV2(rekorV2)
          .build());
    } catch (Exception e) {
      throw new SigningException("cannot set up keyless signing with " + signingConfig + " and " + trustedRoot + ": " + e.getMessage(), e);
    }
  }

  /** The public-good Sigstore (needs the network: TUF, Fulcio, Rekor). */
  public static KeylessArtifactSigner publicGood(String identityToken) throws SigningException {
    try {
      return new KeylessArtifactSigner(KeylessSigner.builder().sigstorePublicDefaults()
          .forceCredentialProviders(OidcClients.of(TokenStringOidcClient.from(identityToken)))
          .build());
    } catch (Exception e) {
      throw new SigningException("cannot set up keyless signing with the public-good Sigstore: " + e.getMessage(), e);
    }
  }

  @Override
  public SigstoreBundle signDsse(String payloadType, byte[] payload) throws SigningException {
    if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(payloadType)) {
      throw new SigningException("keyless DSSE signing takes in-toto statements only, not " + payloadType);
    }
    try {
      return convert(signer.attest(new String(payload, StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new SigningException("keyless signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public SigstoreBundle signDigest(byte[] sha256) throws SigningException {
    try {
      return convert(signer.sign(sha256));
    } catch (Exception e) {
      throw new SigningException("keyless signing failed: " + e.getMessage(), e);
    }
  }

  private static SigstoreBundle convert(Bundle bundle) throws BundleFormatException {
    return BundleJson.parse(bundle.toJson().getBytes(StandardCharsets.UTF_8), "bundle from KeylessSigner");
  }

  @Override
  public void close() {
    signer.close();
  }
}
