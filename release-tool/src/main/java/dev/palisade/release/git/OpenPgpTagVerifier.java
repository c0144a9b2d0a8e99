package dev.palisade.release.git;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentSignature;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies the OpenPGP signature git puts on a tag ({@code git tag -s}, gpg underneath) against an
 * armored keyring, with BouncyCastle's OpenPGP API. Git signs the tag object's bytes up to the
 * signature block (a binary detached signature); the key must be in the keyring, bound to its
 * certificate, capable of signing, not revoked and not expired, now and when it signed.
 */
final class OpenPgpTagVerifier {

  /** A keyring is a few keys; a bigger file is a mistake (and must not fill the heap). */
  static final long MAX_KEYRING_BYTES = 4L * 1024 * 1024;

  private OpenPgpTagVerifier() {}

  /**
   * @param signedContent the tag object up to its signature
   * @param armoredSignature the signature block git appended
   * @param now the verification time (keys expired or revoked by then are refused)
   * @return a description of the accepted key, for the release log
   */
  static String verify(String tag, byte[] signedContent, byte[] armoredSignature, Path keyring, Instant now)
      throws ReleaseException {
    List<OpenPGPCertificate> certificates = readKeyring(keyring);
    List<PGPSignature> signatures = readSignatures(tag, armoredSignature);
    Date at = Date.from(now);
    ReleaseException firstRefusal = null;
    for (PGPSignature signature : signatures) {
      try {
        return verifyOne(tag, signedContent, signature, certificates, keyring, at);
      } catch (ReleaseException refused) {
        firstRefusal = firstRefusal == null ? refused : firstRefusal;
      }
    }
    throw firstRefusal;
  }

  private static String verifyOne(String tag, byte[] content, PGPSignature signature,
      List<OpenPGPCertificate> certificates, Path keyring, Date now) throws ReleaseException {
    String signer = issuerOf(signature);
    OpenPGPComponentKey key = certificates.stream().map(c -> c.getSigningKeyFor(signature))
        .filter(k -> k != null).findFirst().orElse(null);
    if (key == null) {
      throw refuse("tag " + tag + " is signed by OpenPGP key " + signer + ", which is not in " + keyring);
    }
    OpenPGPCertificate certificate = key.getCertificate();
    String who = describe(certificate, key);
    if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
      throw refuse("tag " + tag + " carries an OpenPGP signature of type " + signature.getSignatureType()
          + "; git signs tags as binary documents (type 0)");
    }
    OpenPGPDocumentSignature document = new OpenPGPDocumentSignature(signature, key);
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key.getPGPPublicKey());
      signature.update(content);
      if (!document.verify()) {
        throw refuse("the OpenPGP signature on tag " + tag + " by " + who + " does not match the tag's content:"
            + " the tag was changed after signing, or the signature was made over something else");
      }
    } catch (PGPException e) {
      throw refuse("the OpenPGP signature on tag " + tag + " by " + who + " cannot be checked: " + e.getMessage());
    }
    Date signedAt = signature.getCreationTime();
    refuseRevoked(tag, certificate, key, who, now);
    refuseExpired(tag, certificate, key, who, signedAt, now);
    if (!key.isSigningKey(signedAt)) {
      throw refuse("OpenPGP key " + who + " is not bound as a signing key of its certificate at " + signedAt.toInstant()
          + "; tag " + tag + " not accepted");
    }
    try {
      // The library's own judgement too: the key bound at signing time, the signature's own expiry,
      // and its algorithm policy (e.g. no SHA-1).
      if (!document.isValidAt(now)) {
        throw refuse("the OpenPGP signature on tag " + tag + " by " + who + " is not valid now");
      }
    } catch (PGPException e) {
      throw refuse("the OpenPGP signature on tag " + tag + " by " + who + " is not valid: " + e.getMessage());
    }
    return who;
  }

  private static void refuseRevoked(String tag, OpenPGPCertificate certificate, OpenPGPComponentKey key, String who,
      Date now) throws ReleaseException {
    OpenPGPComponentSignature revocation = certificate.getRevocation(now);
    if (revocation == null && !key.isPrimaryKey()) {
      revocation = key.getRevocation(now);
    }
    if (revocation != null) {
      throw refuse("OpenPGP key " + who + " is revoked (since " + revocation.getCreationTime().toInstant()
          + "); tag " + tag + " not accepted. Remove the key from the keyring or re-sign the tag with a valid key");
    }
  }

  private static void refuseExpired(String tag, OpenPGPCertificate certificate, OpenPGPComponentKey key, String who,
      Date signedAt, Date now) throws ReleaseException {
    for (Date when : new Date[] {now, signedAt}) {
      Date expiry = earliest(certificate.getPrimaryKey().getKeyExpirationDateAt(when),
          key.getKeyExpirationDateAt(when));
      if (expiry != null && !expiry.after(when)) {
        throw refuse("OpenPGP key " + who + " expired on " + expiry.toInstant()
            + (when == now ? "" : ", before it signed tag " + tag + " at " + signedAt.toInstant())
            + "; tag " + tag + " not accepted. Extend the key's expiry and update the keyring, or re-sign the tag");
      }
    }
  }

  private static Date earliest(Date a, Date b) {
    if (a == null) {
      return b;
    }
    return b == null || a.before(b) ? a : b;
  }

  /** Every certificate in the file; more than one armored block (one per maintainer) is fine. */
  static List<OpenPGPCertificate> readKeyring(Path keyring) throws ReleaseException {
    String text;
    try {
      if (Files.size(keyring) > MAX_KEYRING_BYTES) {
        throw refuse("keyring " + keyring + " is larger than " + MAX_KEYRING_BYTES + " bytes; it should hold a few"
            + " armored public keys");
      }
      text = Files.readString(keyring, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot read keyring " + keyring + ": " + e.getMessage(), e);
    }
    if (text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
      throw refuse("keyring " + keyring + " holds a PRIVATE key block: remove it (export with gpg --armor --export,"
          + " not --export-secret-keys) and treat that key as leaked");
    }
    List<OpenPGPCertificate> certificates = new ArrayList<>();
    OpenPGPKeyReader reader = new OpenPGPKeyReader();
    for (String block : armoredBlocks(text)) {
      try {
        certificates.addAll(reader.parseCertificates(block));
      } catch (IOException | RuntimeException e) {
        throw refuse("keyring " + keyring + " holds a public key block that is not a valid OpenPGP certificate: "
            + e.getMessage());
      }
    }
    if (certificates.isEmpty()) {
      throw refuse("keyring " + keyring + " holds no OpenPGP public key: a maintainer must add theirs"
          + " (gpg --armor --export KEYID >> " + keyring.getFileName() + ") before a signed tag can be accepted");
    }
    return certificates;
  }

  private static final String BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  private static final String END = "-----END PGP PUBLIC KEY BLOCK-----";

  /** The armored public key blocks in {@code text}; comments around them are allowed. */
  private static List<String> armoredBlocks(String text) {
    List<String> blocks = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        return blocks;
      }
      int end = text.indexOf(END, begin);
      if (end < 0) {
        blocks.add(text.substring(begin)); // let the parser say what is wrong with it
        return blocks;
      }
      blocks.add(text.substring(begin, end + END.length()) + "\n");
      from = end + END.length();
    }
  }

  private static List<PGPSignature> readSignatures(String tag, byte[] armored) throws ReleaseException {
    List<PGPSignature> signatures = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object next;
      while ((next = factory.nextObject()) != null) {
        if (next instanceof PGPSignatureList list) {
          list.forEach(signatures::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw refuse("the OpenPGP signature block on tag " + tag + " cannot be read: " + e.getMessage());
    }
    if (signatures.isEmpty()) {
      throw refuse("the OpenPGP signature block on tag " + tag + " holds no signature");
    }
    return signatures;
  }

  private static String issuerOf(PGPSignature signature) {
    var fingerprint = signature.getHashedSubPackets() == null ? null
        : signature.getHashedSubPackets().getIssuerFingerprint();
    if (fingerprint != null) {
      return HexFormat.of().withUpperCase().formatHex(fingerprint.getFingerprint());
    }
    return String.format("%016X", signature.getKeyID());
  }

  private static String describe(OpenPGPCertificate certificate, OpenPGPComponentKey key) {
    String fingerprint = HexFormat.of().withUpperCase().formatHex(key.getPGPPublicKey().getFingerprint());
    var uid = certificate.getPrimaryUserId();
    return fingerprint + (uid == null ? "" : " (" + uid.getUserId() + ")");
  }

  private static ReleaseException refuse(String message) {
    return new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: " + message);
  }

  /** The bytes git signed: the tag object up to the signature block it appended. */
  static byte[] signedContent(byte[] rawTag, byte[] signature) {
    int start = rawTag.length - signature.length;
    if (start < 0 || !Arrays.equals(rawTag, start, rawTag.length, signature, 0, signature.length)) {
      return null;
    }
    return Arrays.copyOf(rawTag, start);
  }
}
