package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.keyless.IdentityTokens;
import dev.palisade.signing.keyless.KeylessArtifactSigner;
import dev.palisade.signing.keys.KeyException;
import dev.palisade.signing.keys.Passwords;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.sign.ArtifactSigner;
import dev.palisade.signing.sign.KeyArtifactSigner;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/** How {@code release} signs: with a key file, keyless (Sigstore), or not at all. */
public final class SigningOptions {

  @Option(names = "--sign-key", paramLabel = "KEY",
      description = "Sign with this encrypted private key (release-tool keygen / cosign generate-key-pair). Password from"
          + " $" + Passwords.DEFAULT_VARIABLE + " or --key-password-stdin.")
  Path signKey;

  @Option(names = "--sign-pub", paramLabel = "PUB",
      description = "The public key of --sign-key (default: KEY with .key replaced by .pub); named in the bundles' key hint.")
  Path signPub;

  @Option(names = "--key-password-stdin", description = "Read the --sign-key password from the first line of standard input.")
  boolean keyPasswordStdin;

  @Option(names = "--keyless",
      description = "Sign keyless with Sigstore: an OIDC token (GitHub Actions' token endpoint with audience sigstore,"
          + " $" + IdentityTokens.TOKEN_VARIABLE + ", or --identity-token-file), Fulcio, Rekor; the public-good"
          + " instance unless --signing-config and --trusted-root name a private one.")
  boolean keyless;

  @Option(names = "--signing-config", paramLabel = "FILE", description = "Sigstore signing config (v0.2) of a private instance.")
  Path signingConfig;

  @Option(names = "--trusted-root", paramLabel = "FILE", description = "Sigstore trusted_root.json of a private instance.")
  Path trustedRoot;

  @Option(names = "--identity-token-file", paramLabel = "FILE",
      description = "Read the OIDC identity token from this file (after the Actions endpoint and $"
          + IdentityTokens.TOKEN_VARIABLE + ").")
  Path identityTokenFile;

  public enum Mode { NONE, KEY, KEYLESS }

  public Mode mode() {
    return signKey != null ? Mode.KEY : keyless ? Mode.KEYLESS : Mode.NONE;
  }

  /** Refuses contradictory options before anything is built. */
  void validate(boolean registryPasswordStdin) throws UsageException {
    if (signKey != null && keyless) {
      throw new UsageException("give either --sign-key or --keyless, not both");
    }
    if (signKey == null && (signPub != null || keyPasswordStdin)) {
      throw new UsageException("--sign-pub and --key-password-stdin need --sign-key");
    }
    if (!keyless && (signingConfig != null || trustedRoot != null || identityTokenFile != null)) {
      throw new UsageException("--signing-config, --trusted-root and --identity-token-file need --keyless");
    }
    if ((signingConfig == null) != (trustedRoot == null)) {
      throw new UsageException("a private Sigstore needs both --signing-config and --trusted-root");
    }
    if (keyPasswordStdin && registryPasswordStdin) {
      throw new UsageException("standard input can carry one secret: --key-password-stdin and --password-stdin exclude"
          + " each other (use $" + Passwords.DEFAULT_VARIABLE + " or REGISTRY_PASSWORD for the other)");
    }
  }

  /** The key signer, loaded now so that a wrong password or key fails before the build. */
  ArtifactSigner loadKey(Map<String, String> env, InputStream stdin) throws ReleaseException, UsageException {
    char[] password = password(env, stdin, keyPasswordStdin, "--key-password-stdin");
    try {
      PrivateKey key = PemKeys.readPrivateKey(signKey, password);
      return new KeyArtifactSigner(key, PemKeys.readPublicKey(publicKeyFile()));
    } catch (SigningException e) {
      throw new ReleaseException(Failure.SIGNING, "--sign-key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  Path publicKeyFile() {
    if (signPub != null) {
      return signPub;
    }
    String name = signKey.getFileName().toString();
    String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
    return signKey.resolveSibling(base + ".pub");
  }

  /** The keyless signer; the token is fetched now (Actions tokens live minutes, so after the build). */
  KeylessArtifactSigner openKeyless(Map<String, String> env) throws ReleaseException {
    try {
      String token = IdentityTokens.find(env, identityTokenFile);
      return signingConfig != null
          ? KeylessArtifactSigner.create(signingConfig, trustedRoot, token, true)
          : KeylessArtifactSigner.publicGood(token);
    } catch (SigningException e) {
      throw new ReleaseException(Failure.SIGNING, "--keyless: " + e.getMessage(), e);
    }
  }

  /** A key password from stdin (first line) or $COSIGN_PASSWORD; never argv. */
  static char[] password(Map<String, String> env, InputStream stdin, boolean fromStdin, String stdinOption)
      throws UsageException, ReleaseException {
    try {
      if (fromStdin) {
        return Passwords.fromStream(stdin);
      }
      String value = env.get(Passwords.DEFAULT_VARIABLE);
      if (value == null || value.isEmpty()) {
        throw new UsageException("no key password: set " + Passwords.DEFAULT_VARIABLE + " or use " + stdinOption);
      }
      return Passwords.fromEnvironment(env, Passwords.DEFAULT_VARIABLE);
    } catch (KeyException e) {
      throw new ReleaseException(Failure.SIGNING, e.getMessage(), e);
    }
  }
}
