package dev.palisade.scanner.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.oci.OciException;
import dev.palisade.oci.auth.CredentialException;
import dev.palisade.oci.registry.RegistryException;
import dev.palisade.scanner.api.ScanException;
import dev.palisade.scanner.rules.RuleSetException;

/**
 * Every exit code of the scanner, and the one place exceptions become exit codes. Documented in
 * {@code --help} and the README; scripts depend on them, so they never change meaning.
 */
public final class ExitCodes {
  public static final int CLEAN = 0;
  public static final int FINDINGS = 1;
  public static final int INCOMPLETE = 2;
  public static final int USAGE_OR_INPUT = 3;
  public static final int REGISTRY = 4;
  /** verify / pull: no Sigstore bundle signs the image digest. */
  public static final int NOT_SIGNED = 10;
  /** verify / pull / verify-bundle: a signature does not verify, is malformed, or is for another digest. */
  public static final int SIGNATURE_INVALID = 11;
  /** verify / pull / verify-bundle: the signature verifies, but the signer is not one the policy accepts. */
  public static final int SIGNER_NOT_TRUSTED = 12;
  /** verify / pull: a required attestation is missing, for another digest, or fails the policy. */
  public static final int ATTESTATION_FAILED = 13;
  public static final int INTERNAL = 70;

  /** What each code means, as {@code --help} prints it under "Exit codes:" for every command. */
  public static java.util.Map<String, String> help() {
    java.util.Map<String, String> help = new java.util.LinkedHashMap<>();
    help.put(" " + CLEAN, "clean: nothing found at or above --fail-on, everything was read");
    help.put(" " + FINDINGS, "findings at or above --fail-on");
    help.put(" " + INCOMPLETE, "incomplete: some content could not be read (unless --allow-incomplete)");
    help.put(" " + USAGE_OR_INPUT, "bad usage, or an input that cannot be read (file, layout, archive, rules)");
    help.put(" " + REGISTRY, "registry, authentication or network failure");
    help.put(NOT_SIGNED + "", "verify/pull: the image is not signed");
    help.put(SIGNATURE_INVALID + "", "verify/pull/verify-bundle: a signature is invalid, tampered with, or for another digest");
    help.put(SIGNER_NOT_TRUSTED + "", "verify/pull/verify-bundle: signed, but not by a trusted key or identity");
    help.put(ATTESTATION_FAILED + "", "verify/pull: a required attestation is missing or fails the policy");
    help.put(INTERNAL + "", "internal error (a bug: please report it)");
    return help;
  }

  private ExitCodes() {}

  /** Maps a failure to its exit code. */
  public static int of(Throwable failure) {
    if (failure instanceof dev.palisade.signing.verify.VerificationException verification) {
      return switch (verification.failure()) {
        case NOT_SIGNED -> NOT_SIGNED;
        case SIGNATURE_INVALID -> SIGNATURE_INVALID;
        case SIGNER_NOT_TRUSTED -> SIGNER_NOT_TRUSTED;
        case ATTESTATION_FAILED -> ATTESTATION_FAILED;
      };
    }
    if (failure instanceof dev.palisade.signing.oci.ReferrerStoreException && failure.getCause() instanceof RegistryException) {
      return REGISTRY;
    }
    if (failure instanceof dev.palisade.signing.SigningException) {
      return USAGE_OR_INPUT;
    }
    if (failure instanceof RegistryException || failure instanceof CredentialException) {
      return REGISTRY;
    }
    if (failure instanceof UsageException || failure instanceof ScanException || failure instanceof RuleSetException
        || failure instanceof OciException) {
      return USAGE_OR_INPUT;
    }
    return INTERNAL;
  }
}
