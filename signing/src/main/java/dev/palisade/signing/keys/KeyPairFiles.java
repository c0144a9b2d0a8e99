package dev.palisade.signing.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * Writes a new key pair as {@code PREFIX.key} (encrypted, mode 0600) and {@code PREFIX.pub}. Never
 * overwrites: replacing a release key by accident is worse than a failed command.
 */
public final class KeyPairFiles {

  /** Where the two files went. */
  public record Written(Path privateKey, Path publicKey, String hint) {}

  private KeyPairFiles() {}

  public static Written generate(Path prefix, char[] password) throws KeyException {
    KeyPair pair = KeyPairs.generate();
    Path privateFile = prefix.resolveSibling(prefix.getFileName() + ".key");
    Path publicFile = prefix.resolveSibling(prefix.getFileName() + ".pub");
    String privatePem = PemKeys.encryptedPrivateKeyPem(pair.getPrivate(), password);
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw new KeyException(file + " already exists; refusing to overwrite a key");
      }
    }
    try {
      Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(privateFile, privatePem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(publicFile, PemKeys.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new KeyException(e.getFile() + " already exists; refusing to overwrite a key");
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeyException("cannot write the key pair next to " + prefix + ": " + e.getMessage());
    }
    return new Written(privateFile, publicFile, KeyHint.of(pair.getPublic()));
  }
}
