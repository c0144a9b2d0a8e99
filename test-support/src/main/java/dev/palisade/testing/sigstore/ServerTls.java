package dev.palisade.testing.sigstore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed TLS certificate for 127.0.0.1, and a truststore holding it. */
final class ServerTls {

  final KeyPair key = EcKeys.generate();
  final X509Certificate certificate;

  ServerTls() {
    try {
      X500Name name = new X500Name("CN=127.0.0.1,O=palisade.test local sigstore");
      Instant now = Instant.now();
      certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
          new BigInteger(96, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
          name, key.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a TLS certificate", e);
    }
  }

  String certificatePem() {
    return pem(certificate);
  }

  String privateKeyPem() {
    try {
      return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#12 truststore (password "changeit") with the certificate, for javax.net.ssl.trustStore. */
  Path writeTruststore(Path file) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("local-sigstore", certificate);
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, "changeit".toCharArray());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
