package dev.palisade.oci.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the SSLContext for a registry with a private CA. Like {@code curl --cacert}, the given
 * certificates replace the system trust for that client: trusting "the system plus this CA" would
 * let any public CA vouch for a host the user pinned to a private one.
 */
public final class TrustMaterial {

  private TrustMaterial() {}

  /** An SSLContext trusting exactly the certificates in a PEM file (one or more). */
  public static SSLContext fromPemFile(Path pemFile) throws TrustMaterialException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new TrustMaterialException("cannot read CA file " + pemFile + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new TrustMaterialException("CA file " + pemFile + " holds no valid PEM certificate", e);
    }
    if (certificates.isEmpty()) {
      throw new TrustMaterialException("CA file " + pemFile + " holds no certificate", null);
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return fromKeyStore(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new TrustMaterialException("cannot build trust from " + pemFile + ": " + e.getMessage(), e);
    }
  }

  /** An SSLContext trusting the certificates in a key store. */
  public static SSLContext fromKeyStore(KeyStore trustStore) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
