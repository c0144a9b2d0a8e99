package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * The local Sigstore (see package docs): signs like a keyless client would (an ephemeral key, a
 * certificate for an OIDC identity, a transparency-log entry) and produces Sigstore bundles v0.3.
 *
 * <pre>{@code
 * LocalSigstore sigstore = LocalSigstore.create();
 * Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
 * byte[] bundle = sigstore.signDsse(IDENTITY, ISSUER, "application/vnd.in-toto+json", statement);
 * }</pre>
 */
public final class LocalSigstore {

  public static final String REKOR_HOST = "rekor.palisade.test";
  public static final String CT_URL = "https://ctfe.palisade.test";
  public static final String FULCIO_URL = "https://fulcio.palisade.test";
  public static final String TSA_URL = "https://tsa.palisade.test";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Instant validFrom;
  private final LocalCtLog ctLog = new LocalCtLog();
  private final LocalFulcio fulcio;
  private final String rekorBaseUrl;
  private final LocalRekor rekor;
  private final LocalTimestampAuthority tsa;

  private LocalSigstore(Instant validFrom, String rekorBaseUrl) {
    this.validFrom = validFrom;
    this.tsa = new LocalTimestampAuthority(validFrom);
    this.fulcio = new LocalFulcio(ctLog, validFrom);
    this.rekorBaseUrl = rekorBaseUrl;
    // Checkpoints are signed in the log's host name; verifiers match it against the trusted root's baseUrl.
    this.rekor = new LocalRekor(java.net.URI.create(rekorBaseUrl).getHost());
  }

  /** A fresh stack with fresh keys; two stacks never trust each other. */
  public static LocalSigstore create() {
    return create("https://" + REKOR_HOST);
  }

  /** A fresh stack whose transparency log is served at {@code rekorBaseUrl} (see {@link LocalSigstoreServers}). */
  public static LocalSigstore create(String rekorBaseUrl) {
    return new LocalSigstore(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS), rekorBaseUrl);
  }

  LocalFulcio fulcio() {
    return fulcio;
  }

  LocalRekor rekor() {
    return rekor;
  }

  LocalTimestampAuthority tsa() {
    return tsa;
  }

  /** Writes the trusted root (v0.1 JSON) that describes this stack's CA, CT log and transparency log. */
  public Path writeTrustedRoot(Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    root.putArray("tlogs").add(log(rekorBaseUrl, rekor.publicKey()));
    ObjectNode ca = root.putArray("certificateAuthorities").addObject();
    ObjectNode subject = ca.putObject("subject");
    subject.put("organization", "palisade.test");
    subject.put("commonName", "local-fulcio");
    ca.put("uri", FULCIO_URL);
    ArrayNode chain = ca.putObject("certChain").putArray("certificates");
    for (X509Certificate certificate : fulcio.chain()) {
      chain.addObject().put("rawBytes", b64(der(certificate)));
    }
    ca.putObject("validFor").put("start", iso(validFrom));
    root.putArray("ctlogs").add(log(CT_URL, ctLog.publicKey()));
    ObjectNode timestamps = root.putArray("timestampAuthorities").addObject();
    ObjectNode tsaSubject = timestamps.putObject("subject");
    tsaSubject.put("organization", "palisade.test");
    tsaSubject.put("commonName", "local-tsa");
    timestamps.put("uri", TSA_URL);
    ArrayNode tsaChain = timestamps.putObject("certChain").putArray("certificates");
    for (X509Certificate certificate : tsa.chain()) {
      tsaChain.addObject().put("rawBytes", b64(der(certificate)));
    }
    timestamps.putObject("validFor").put("start", iso(validFrom));
    try {
      Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private ObjectNode log(String baseUrl, PublicKey key) {
    ObjectNode log = JSON.createObjectNode();
    log.put("baseUrl", baseUrl);
    log.put("hashAlgorithm", "SHA2_256");
    ObjectNode publicKey = log.putObject("publicKey");
    publicKey.put("rawBytes", b64(key.getEncoded()));
    publicKey.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    publicKey.putObject("validFor").put("start", iso(validFrom));
    log.putObject("logId").put("keyId", b64(EcKeys.logId(key)));
    return log;
  }

  /**
   * Signs a DSSE envelope as {@code identity} (logged in at {@code oidcIssuer}) and logs it: a
   * bundle with the certificate, a {@code dsse} 0.0.1 entry, its inclusion proof, checkpoint and SET.
   */
  public byte[] signDsse(String identity, String oidcIssuer, String payloadType, byte[] payload) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    KeyPair ephemeral = EcKeys.generate();
    X509Certificate certificate = fulcio.issue(ephemeral.getPublic(), identity, oidcIssuer, now);
    byte[] signature = EcKeys.sign(ephemeral.getPrivate(), pae(payloadType, payload));

    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("payload", b64(payload));
    envelope.put("payloadType", payloadType);
    envelope.putArray("signatures").addObject().put("sig", b64(signature));

    String body = "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\""
        + hex(EcKeys.sha256(envelope.toString().getBytes(StandardCharsets.UTF_8))) + "\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\""
        + hex(EcKeys.sha256(payload)) + "\"},\"signatures\":[{\"signature\":\"" + b64(signature) + "\",\"verifier\":\""
        + b64(pem(certificate).getBytes(StandardCharsets.UTF_8)) + "\"}]}}";
    ObjectNode entry = rekor.append(body.getBytes(StandardCharsets.UTF_8), "dsse", "0.0.1", now.getEpochSecond());

    ObjectNode bundle = bundle(certificate, entry);
    bundle.set("dsseEnvelope", envelope);
    return bytes(bundle);
  }

  /** Signs a blob by its SHA-256 (a message signature) and logs a {@code hashedrekord} 0.0.1 entry. */
  public byte[] signBlob(String identity, String oidcIssuer, byte[] sha256) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return signBlob(identity, oidcIssuer, sha256, now, now);
  }

  /**
   * As {@link #signBlob(String, String, byte[])}, but the certificate is issued at {@code issuedAt}
   * and the log integrates the entry at {@code loggedAt} (its SET signs that time): for tests of
   * entries logged outside the certificate's validity, which the log itself does not prevent.
   */
  public byte[] signBlob(String identity, String oidcIssuer, byte[] sha256, Instant issuedAt, Instant loggedAt) {
    Instant now = issuedAt;
    KeyPair ephemeral = EcKeys.generate();
    X509Certificate certificate = fulcio.issue(ephemeral.getPublic(), identity, oidcIssuer, now);
    byte[] signature;
    try {
      java.security.Signature signer = java.security.Signature.getInstance("NONEwithECDSA");
      signer.initSign(ephemeral.getPrivate());
      signer.update(sha256);
      signature = signer.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    // Rekor's canonical JSON for the entry: keys sorted, no white space.
    String body = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\""
        + hex(sha256) + "\"}},\"signature\":{\"content\":\"" + b64(signature) + "\",\"publicKey\":{\"content\":\""
        + b64(pem(certificate).getBytes(StandardCharsets.UTF_8)) + "\"}}}}";
    ObjectNode entry = rekor.append(body.getBytes(StandardCharsets.UTF_8), "hashedrekord", "0.0.1", loggedAt.getEpochSecond());
    ObjectNode bundle = bundle(certificate, entry);
    ObjectNode message = bundle.putObject("messageSignature");
    ObjectNode digest = message.putObject("messageDigest");
    digest.put("algorithm", "SHA2_256");
    digest.put("digest", b64(sha256));
    message.put("signature", b64(signature));
    return bytes(bundle);
  }

  /**
   * Logs a signature made with a plain public key (cosign {@code --key}, or {@code --tlog-upload})
   * and returns the bundle's {@code tlogEntries[]} element. {@code apiVersion} picks the body Rekor
   * v1 writes (0.0.1: hex digests, the key as base64 PEM) or Rekor v2 writes (0.0.2: protobuf JSON,
   * base64 digest, the key as DER; no SET and no integrated time).
   *
   * @param digest the artifact's SHA-256 for {@code hashedrekord}, the DSSE payload's for {@code dsse}
   */
  public ObjectNode logKeySigned(String kind, String apiVersion, byte[] digest, byte[] signature, PublicKey key) {
    String body = keySignedBody(kind, apiVersion, digest, signature, key);
    boolean v2 = "0.0.2".equals(apiVersion);
    long now = Instant.now().getEpochSecond();
    LocalRekor.LoggedEntry logged = rekor.log(body.getBytes(StandardCharsets.UTF_8), kind, apiVersion, v2 ? 0 : now);
    ObjectNode entry = logged.bundleEntry();
    if (v2) {
      entry.remove("inclusionPromise");
      entry.remove("integratedTime");
    }
    return entry;
  }

  /** The canonical body Rekor writes for a key-signed entry (keys sorted, no white space). */
  public static String keySignedBody(String kind, String apiVersion, byte[] digest, byte[] signature, PublicKey key) {
    String pemKey = b64(publicKeyPem(key).getBytes(StandardCharsets.UTF_8));
    String verifierV2 = "{\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\",\"publicKey\":{\"rawBytes\":\"" + b64(key.getEncoded()) + "\"}}";
    return switch (kind + ":" + apiVersion) {
      case "hashedrekord:0.0.1" -> "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\""
          + hex(digest) + "\"}},\"signature\":{\"content\":\"" + b64(signature) + "\",\"publicKey\":{\"content\":\"" + pemKey + "\"}}}}";
      case "hashedrekord:0.0.2" -> "{\"apiVersion\":\"0.0.2\",\"kind\":\"hashedrekord\",\"spec\":{\"hashedRekordV002\":{\"data\":{\"algorithm\":\"SHA2_256\",\"digest\":\""
          + b64(digest) + "\"},\"signature\":{\"content\":\"" + b64(signature) + "\",\"verifier\":" + verifierV2 + "}}}}";
      case "dsse:0.0.1" -> "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\""
          + hex(EcKeys.sha256(signature, digest)) + "\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"" + hex(digest)
          + "\"},\"signatures\":[{\"signature\":\"" + b64(signature) + "\",\"verifier\":\"" + pemKey + "\"}]}}";
      case "dsse:0.0.2" -> "{\"apiVersion\":\"0.0.2\",\"kind\":\"dsse\",\"spec\":{\"dsseV002\":{\"payloadHash\":{\"algorithm\":\"SHA2_256\",\"digest\":\""
          + b64(digest) + "\"},\"signatures\":[{\"content\":\"" + b64(signature) + "\",\"verifier\":" + verifierV2 + "}]}}}";
      default -> throw new IllegalArgumentException("no such entry kind: " + kind + " " + apiVersion);
    };
  }

  private static String publicKeyPem(PublicKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().replace("\r\n", "\n");
  }

  private static ObjectNode bundle(X509Certificate certificate, ObjectNode entry) {
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    ObjectNode material = bundle.putObject("verificationMaterial");
    material.putObject("certificate").put("rawBytes", b64(der(certificate)));
    material.putArray("tlogEntries").add(entry);
    return bundle;
  }

  static byte[] pae(String payloadType, byte[] payload) {
    byte[] head = ("DSSEv1 " + payloadType.getBytes(StandardCharsets.UTF_8).length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM as sigstore-java writes it (BouncyCastle's writer, LF line ends): Rekor bodies embed it byte for byte. */
  static String pem(X509Certificate certificate) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().replace("\r\n", "\n");
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
