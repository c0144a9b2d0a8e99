package dev.palisade.testing.sigstore;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Fulcio-like CA: a root, an intermediate, and short-lived code-signing certificates for an
 * OIDC identity, with the Fulcio issuer extensions and an SCT from {@link LocalCtLog} embedded the
 * way RFC 6962 precertificates work (the SCT signs the TBSCertificate without the SCT extension).
 */
public final class LocalFulcio {

  /** Fulcio's OIDC issuer extensions: v1 holds the raw string, v2 a DER UTF8String. */
  public static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  public static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

  private final KeyPair rootKey = EcKeys.generate();
  private final KeyPair intermediateKey = EcKeys.generate();
  private final X509Certificate root;
  private final X509Certificate intermediate;
  private final LocalCtLog ctLog;
  private final SecureRandom random = new SecureRandom();

  public LocalFulcio(LocalCtLog ctLog, Instant validFrom) {
    this.ctLog = ctLog;
    try {
      X500Name rootName = new X500Name("O=palisade.test,CN=local-fulcio-root");
      X500Name intermediateName = new X500Name("O=palisade.test,CN=local-fulcio-intermediate");
      Instant until = validFrom.plus(Duration.ofDays(3650));
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder rootBuilder = new JcaX509v3CertificateBuilder(rootName, serial(), Date.from(validFrom),
          Date.from(until), rootName, rootKey.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(rootKey.getPublic()));
      root = convert(rootBuilder.build(signer(rootKey)));
      X509v3CertificateBuilder intermediateBuilder = new JcaX509v3CertificateBuilder(rootName, serial(), Date.from(validFrom),
          Date.from(until), intermediateName, intermediateKey.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(intermediateKey.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(root));
      intermediate = convert(intermediateBuilder.build(signer(rootKey)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the local CA", e);
    }
  }

  /** The chain a trusted root lists: intermediate first, then the root. */
  public List<X509Certificate> chain() {
    return List.of(intermediate, root);
  }

  /**
   * A code-signing certificate for {@code subjectKey}, valid ten minutes from {@code notBefore}.
   *
   * @param san an e-mail address (rfc822Name) or a URI (GitHub workflow identities)
   */
  public X509Certificate issue(PublicKey subjectKey, String san, String oidcIssuer, Instant notBefore) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      GeneralName name = san.contains("@") && !san.contains("://")
          ? new GeneralName(GeneralName.rfc822Name, san) : new GeneralName(GeneralName.uniformResourceIdentifier, san);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded()), serial(), Date.from(notBefore),
          Date.from(notBefore.plus(Duration.ofMinutes(10))), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), subjectKey)
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(intermediate))
          .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(name))
          .addExtension(new ASN1ObjectIdentifier(ISSUER_V1), false, oidcIssuer.getBytes(StandardCharsets.UTF_8))
          .addExtension(new ASN1ObjectIdentifier(ISSUER_V2), false, new DERUTF8String(oidcIssuer));
      // The precertificate's TBS is what the SCT signs; the final certificate adds the SCT list.
      byte[] precertTbs = builder.build(signer(intermediateKey)).toASN1Structure().getTBSCertificate().getEncoded();
      byte[] issuerKeyHash = EcKeys.sha256(intermediate.getPublicKey().getEncoded());
      byte[] sct = ctLog.sct(precertTbs, issuerKeyHash, notBefore.toEpochMilli());
      builder.addExtension(new ASN1ObjectIdentifier(SCT_LIST_OID), false, new DEROctetString(LocalCtLog.sctList(sct)));
      return convert(builder.build(signer(intermediateKey)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  private BigInteger serial() {
    return new BigInteger(128, random);
  }

  private static ContentSigner signer(KeyPair key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
  }

  private static X509Certificate convert(X509CertificateHolder holder) throws CertificateException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }
}
