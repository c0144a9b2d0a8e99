package dev.palisade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for {@code 127.0.0.1} and the trust material clients need.
 *
 * <p>Made by the real {@code openssl} binary, as an operator would, rather than by JDK internals
 * or a crypto library: the project should not need BouncyCastle just to test itself. The
 * certificate is its own CA (openssl's default {@code v3_ca} extensions), so Go clients (skopeo,
 * the registry) and the JDK both accept it as a trust anchor.
 *
 * @param certificatePem the certificate (and CA) in PEM
 * @param privateKeyPem its unencrypted EC P-256 key in PEM
 * @param truststore a PKCS12 file holding only the certificate
 * @param truststorePassword password of {@code truststore}
 * @param certificate the parsed certificate
 */
public record TlsMaterial(Path certificatePem, Path privateKeyPem, Path truststore, String truststorePassword,
        X509Certificate certificate) {

    private static final String ALIAS = "palisade-test-registry-ca";

    /** Writes {@code cert.pem}, {@code key.pem} and {@code truststore.p12} into {@code directory}. */
    static TlsMaterial generate(Path directory) {
        Path certificatePem = directory.resolve("cert.pem");
        Path privateKeyPem = directory.resolve("key.pem");
        ProcessRunner.run(Command.of(RequiredBinaries.openssl(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=palisade-test-registry",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", privateKeyPem.toString(), "-out", certificatePem.toString()));
        X509Certificate certificate = parse(certificatePem);
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path truststore = directory.resolve("truststore.p12");
        writeTruststore(truststore, password, certificate);
        return new TlsMaterial(certificatePem, privateKeyPem, truststore, password, certificate);
    }

    /** A client context that trusts this certificate and nothing else (not even the JDK's CAs). */
    public SSLContext sslContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSLContext for " + certificatePem, e);
        }
    }

    private static X509Certificate parse(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("openssl wrote an unreadable certificate " + pem, e);
        }
    }

    private static void writeTruststore(Path file, String password, X509Certificate certificate) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(ALIAS, certificate);
            store.store(out, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write truststore " + file, e);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + certificatePem + ", truststore=" + truststore + "]";
    }
}
