package dev.palisade.oci.it;

import dev.palisade.oci.tls.TrustMaterial;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key and self-signed certificate for 127.0.0.1, made by the JDK's {@code keytool}, for test
 * servers built on {@code com.sun.net.httpserver.HttpsServer}.
 *
 * @param server the server side (key and certificate)
 * @param clientTrust trusts exactly that certificate, built by the project's {@link TrustMaterial}
 */
record ServerTls(SSLContext server, SSLContext clientTrust) {

  private static final String PASSWORD = "changeit-test-only";

  static ServerTls generate(Path directory) throws Exception {
    Path keystore = directory.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=palisade-test-server",
        "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + new String(output));
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(keyManagers.getKeyManagers(), null, null);

    Certificate certificate = keys.getCertificate("server");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    return new ServerTls(server, TrustMaterial.fromKeyStore(trust));
  }
}
