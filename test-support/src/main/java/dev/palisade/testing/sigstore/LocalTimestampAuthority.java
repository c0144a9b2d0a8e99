package dev.palisade.testing.sigstore;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 timestamp authority: a root and a TSA certificate (extended key usage timeStamping,
 * critical, as RFC 3161 requires), answering DER TimeStampReq with a signed TimeStampResp that
 * embeds the TSA chain.
 */
public final class LocalTimestampAuthority {

  private static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2");

  private final KeyPair rootKey = EcKeys.generate();
  private final KeyPair tsaKey = EcKeys.generate();
  private final X509Certificate root;
  private final X509Certificate tsa;
  private final SecureRandom random = new SecureRandom();

  public LocalTimestampAuthority(Instant validFrom) {
    try {
      Instant until = validFrom.plus(Duration.ofDays(3650));
      X500Name rootName = new X500Name("O=palisade.test,CN=local-tsa-root");
      X500Name tsaName = new X500Name("O=palisade.test,CN=local-tsa");
      root = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(rootName, serial(),
          Date.from(validFrom), Date.from(until), rootName, rootKey.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
      tsa = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(rootName, serial(),
          Date.from(validFrom), Date.from(until), tsaName, tsaKey.getPublic())
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the local TSA", e);
    }
  }

  /** The chain a trusted root lists: TSA certificate first, then the root. */
  public List<X509Certificate> chain() {
    return List.of(tsa, root);
  }

  /** Answers a DER TimeStampReq with a DER TimeStampResp (granted, or rejected with the reason). */
  public byte[] respond(byte[] derRequest) throws Exception {
    TimeStampRequest request = new TimeStampRequest(derRequest);
    TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
        new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKey.getPrivate(), tsa),
        new JcaDigestCalculatorProviderBuilder().build().get(
            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
        POLICY);
    tokens.addCertificates(new JcaCertStore(chain()));
    TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
    TimeStampResponse response = responses.generate(request, serial(), new Date());
    return response.getEncoded();
  }

  private BigInteger serial() {
    return new BigInteger(96, random);
  }
}
