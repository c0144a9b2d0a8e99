package dev.palisade.release.base;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code update-ca-certificates} and {@code ca-certificates-java} would generate at install
 * time, made deterministically: the PEM bundle {@code /etc/ssl/certs/ca-certificates.crt} and the
 * Java trust store {@code /etc/ssl/certs/java/cacerts} that the JRE's {@code lib/security/cacerts}
 * links to. The trust store is written as JKS by hand because {@link java.security.KeyStore} stamps
 * every entry with the current time (and PKCS12 adds random salts), which would break
 * reproducibility; JKS trusted-certificate entries carry no secret, so the format's integrity
 * checksum with the well-known password {@code changeit} is all it needs.
 */
public final class CaCertificates {

  static final String SOURCE_DIR = "usr/share/ca-certificates/";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

  private CaCertificates() {}

  /** Adds the bundle and trust store built from the package's certificates; no-op without them. */
  public static int write(RootFs fs, long createdMillis) throws IOException {
    List<String> aliases = new ArrayList<>();
    List<byte[]> ders = new ArrayList<>();
    StringBuilder bundle = new StringBuilder();
    for (Map.Entry<String, FsNode> e : fs.entries().entrySet()) {
      if (!e.getKey().startsWith(SOURCE_DIR) || !e.getKey().endsWith(".crt")
          || e.getValue().type() != FsNode.Type.FILE) {
        continue;
      }
      String pem = new String(e.getValue().content(), StandardCharsets.US_ASCII);
      Matcher m = PEM.matcher(pem);
      if (!m.find()) {
        continue;
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      checkCertificate(e.getKey(), der);
      String file = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
      aliases.add("debian:" + file.substring(0, file.length() - 4).toLowerCase(java.util.Locale.ROOT) + ".pem");
      ders.add(der);
      bundle.append(m.group().strip()).append('\n');
    }
    if (ders.isEmpty()) {
      return 0;
    }
    fs.put("etc/ssl/certs/ca-certificates.crt", FsNode.file(0644, bundle.toString().getBytes(StandardCharsets.US_ASCII)));
    fs.put("etc/ssl/certs/java/cacerts", FsNode.file(0644, jks(aliases, ders, createdMillis)));
    return ders.size();
  }

  private static void checkCertificate(String path, byte[] der) throws IOException {
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IOException(path + " is not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** The JKS format: magic, version 2, entries, then SHA-1 over password, salt phrase and body. */
  static byte[] jks(List<String> aliases, List<byte[]> ders, long createdMillis) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeInt(0xFEEDFEED);
    out.writeInt(2);
    out.writeInt(ders.size());
    for (int i = 0; i < ders.size(); i++) {
      out.writeInt(2); // trusted certificate entry
      out.writeUTF(aliases.get(i));
      out.writeLong(createdMillis);
      out.writeUTF("X.509");
      out.writeInt(ders.get(i).length);
      out.write(ders.get(i));
    }
    out.flush();
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      for (char c : "changeit".toCharArray()) {
        sha1.update((byte) (c >> 8));
        sha1.update((byte) c);
      }
      sha1.update("Mighty Aphrodite".getBytes(StandardCharsets.UTF_8));
      sha1.update(body.toByteArray());
      out.write(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
    return body.toByteArray();
  }
}
