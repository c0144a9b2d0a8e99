package dev.palisade.signing.keyless;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/** Reads who a Fulcio certificate names: its SAN and the OIDC issuer extension. */
public final class CertificateNames {

  /** Fulcio's issuer extensions: v2 (DER UTF8String) first, then the deprecated v1 (raw string). */
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";

  private CertificateNames() {}

  public static String describe(X509Certificate certificate) {
    return san(certificate) + " (issuer " + issuer(certificate) + ")";
  }

  public static String san(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() >= 2 && name.get(1) instanceof String value) {
            return value;
          }
        }
      }
    } catch (CertificateParsingException e) {
      return "?";
    }
    return "?";
  }

  public static String issuer(X509Certificate certificate) {
    try {
      byte[] v2 = certificate.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        if (inner instanceof ASN1String text) {
          return text.getString();
        }
      }
      byte[] v1 = certificate.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
    return "?";
  }
}
