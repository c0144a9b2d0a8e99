package dev.palisade.testing.sigstore;

import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * A certificate-transparency log that only signs: it issues RFC 6962 SCTs over precertificate
 * entries, the way Fulcio embeds them. There is no log behind it (verifiers only check the SCT
 * signature against the CT log key in the trusted root).
 */
public final class LocalCtLog {

  private final KeyPair key = EcKeys.generate();

  public PublicKey publicKey() {
    return key.getPublic();
  }

  public byte[] logId() {
    return EcKeys.logId(key.getPublic());
  }

  /**
   * One serialized SCT (RFC 6962 3.2) over a precert entry.
   *
   * @param precertTbs the final certificate's TBSCertificate without the SCT and poison extensions
   * @param issuerKeyHash SHA-256 of the issuing CA's DER public key
   */
  public byte[] sct(byte[] precertTbs, byte[] issuerKeyHash, long timestampMillis) {
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // version v1
    signed.write(0); // signature_type certificate_timestamp
    writeNumber(signed, timestampMillis, 8);
    writeNumber(signed, 1, 2); // entry_type precert_entry
    signed.writeBytes(issuerKeyHash);
    writeNumber(signed, precertTbs.length, 3);
    signed.writeBytes(precertTbs);
    writeNumber(signed, 0, 2); // no extensions
    byte[] signature = EcKeys.sign(key.getPrivate(), signed.toByteArray());

    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.writeBytes(logId());
    writeNumber(sct, timestampMillis, 8);
    writeNumber(sct, 0, 2);
    sct.write(4); // hash sha256
    sct.write(3); // signature ecdsa
    writeNumber(sct, signature.length, 2);
    sct.writeBytes(signature);
    return sct.toByteArray();
  }

  /** A SignedCertificateTimestampList holding the given SCTs. */
  public static byte[] sctList(byte[]... scts) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (byte[] sct : scts) {
      writeNumber(list, sct.length, 2);
      list.writeBytes(sct);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeNumber(out, list.size(), 2);
    out.writeBytes(list.toByteArray());
    return out.toByteArray();
  }

  static void writeNumber(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
