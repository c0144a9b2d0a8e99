package dev.palisade.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made by the real {@code openssl} binary, as an operator makes them: a CA,
 * leaf certificates it signs (server for 127.0.0.1, clients with a subject and SANs), optionally
 * with the key encrypted as PKCS#8 (AES-256). Everything lives in one temporary directory.
 */
public final class Pki {

  private final Path dir;
  private final String name;

  /** A certificate with its key files. */
  public record Leaf(Path cert, Path key, X509Certificate certificate) {
    public String sha256() {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Pki(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new CA named {@code name} in {@code dir}. */
  public static Pki create(Path dir, String name) {
    Pki pki = new Pki(dir, name);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-days", "2", "-subj", "/CN=" + name + "-ca", "-keyout", name + "-ca.key", "-out", name + "-ca.pem");
    return pki;
  }

  public Path caCert() {
    return dir.resolve(name + "-ca.pem");
  }

  public X509Certificate caCertificate() {
    return parse(caCert());
  }

  /** A server certificate for 127.0.0.1 and localhost; its key encrypted when a password is given. */
  public Leaf server(String cn, String keyPassword) {
    return server(cn, keyPassword, 2);
  }

  /** As {@link #server(String, String)}, valid for {@code days}; a negative value makes it already expired. */
  public Leaf server(String cn, String keyPassword, int days) {
    return leaf(cn, "/CN=" + cn, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth", keyPassword,
        days);
  }

  /** A client certificate with {@code subject} and the given SAN (e.g. {@code URI:spiffe://x/y}). */
  public Leaf client(String file, String subject, String san, String keyPassword) {
    return leaf(file, subject, "subjectAltName=" + san + "\nextendedKeyUsage=clientAuth", keyPassword, 2);
  }

  private Leaf leaf(String file, String subject, String extensions, String keyPassword, int days) {
    Path ext = dir.resolve(file + ".ext");
    try {
      Files.writeString(ext, extensions + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", subject, "-keyout", file + ".plain.key", "-out", file + ".csr");
    openssl(dir, "x509", "-req", "-in", file + ".csr", "-CA", name + "-ca.pem", "-CAkey", name + "-ca.key",
        "-CAcreateserial", "-days", Integer.toString(days), "-extfile", file + ".ext", "-out", file + ".pem");
    if (keyPassword == null) {
      openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", file + ".plain.key", "-out", file + ".key");
    } else {
      openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", file + ".plain.key",
          "-out", file + ".key", "-passout", "env:PKI_KEY_PASSWORD", "#" + keyPassword);
    }
    return new Leaf(dir.resolve(file + ".pem"), dir.resolve(file + ".key"), parse(dir.resolve(file + ".pem")));
  }

  /** Trusts this CA only. */
  public SSLContext trusting() {
    return context(null, null);
  }

  /** Trusts this CA and presents {@code client}'s certificate (for a JDK HttpClient). */
  public SSLContext trusting(Leaf client) {
    return context(client, parse(client.cert()));
  }

  private SSLContext context(Leaf client, X509Certificate clientCert) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCertificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (client != null) {
        Path p12 = dir.resolve(client.cert().getFileName() + ".p12");
        if (!Files.exists(p12)) {
          String plainKey = client.cert().getFileName().toString().replace(".pem", ".plain.key");
          openssl(dir, "pkcs12", "-export", "-in", client.cert().getFileName().toString(), "-inkey", plainKey,
              "-out", p12.getFileName().toString(), "-passout", "pass:changeit");
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
          keys.load(in, "changeit".toCharArray());
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build an SSLContext", e);
    }
  }

  static X509Certificate parse(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pem, e);
    }
  }

  /** The curl binary, or a failure naming the package (tests never skip). */
  public static String curl() {
    Path curl = Path.of("/usr/bin/curl");
    if (!Files.isExecutable(curl)) {
      throw new IllegalStateException("curl is not installed: apt-get install -y curl");
    }
    return curl.toString();
  }

  /** Runs openssl in {@code dir}; a trailing {@code #password} argument goes in via the environment. */
  public static void openssl(Path dir, String... args) {
    Path openssl = Path.of("/usr/bin/openssl");
    if (!Files.isExecutable(openssl)) {
      throw new IllegalStateException("openssl is not installed: apt-get install -y openssl");
    }
    List<String> command = new ArrayList<>();
    command.add(openssl.toString());
    String password = null;
    for (String a : args) {
      if (a.startsWith("#")) {
        password = a.substring(1);
      } else {
        command.add(a);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    if (password != null) {
      pb.environment().put("PKI_KEY_PASSWORD", password); // never on argv
    }
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl " + args[0] + " failed: " + new String(out));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
