package dev.palisade.release.git;

import java.nio.file.Path;

/**
 * Whom a release tag must be signed by: SSH keys in an OpenSSH allowed-signers file, OpenPGP keys in
 * an armored keyring, or both (a tag carries one signature; its format picks the file it is checked
 * against).
 *
 * @param allowedSigners OpenSSH allowed-signers file, or null
 * @param allowedKeyring armored OpenPGP public keys, or null
 */
public record TagTrust(Path allowedSigners, Path allowedKeyring) {

  public TagTrust {
    if (allowedSigners == null && allowedKeyring == null) {
      throw new IllegalArgumentException("a signed-tag requirement needs an allowed-signers file or a keyring");
    }
  }

  public static TagTrust ssh(Path allowedSigners) {
    return new TagTrust(allowedSigners, null);
  }

  public static TagTrust openPgp(Path allowedKeyring) {
    return new TagTrust(null, allowedKeyring);
  }

  /** The files, for messages. */
  public String describe() {
    if (allowedSigners != null && allowedKeyring != null) {
      return allowedSigners + " or " + allowedKeyring;
    }
    return String.valueOf(allowedSigners != null ? allowedSigners : allowedKeyring);
  }
}
