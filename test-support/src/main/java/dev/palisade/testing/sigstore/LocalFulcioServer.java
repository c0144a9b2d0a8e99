package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigstore.fulcio.v2.CAGrpc;
import dev.sigstore.fulcio.v2.CertificateChain;
import dev.sigstore.fulcio.v2.CreateSigningCertificateRequest;
import dev.sigstore.fulcio.v2.SigningCertificate;
import dev.sigstore.fulcio.v2.SigningCertificateEmbeddedSCT;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fulcio's v2 gRPC API ({@code CreateSigningCertificate}) over TLS on 127.0.0.1, as sigstore-java's
 * {@code KeylessSigner} requires. It does what Fulcio does: verifies the OIDC token against the
 * issuers it trusts, derives the identity (GitHub Actions: {@code https://github.com/} + {@code
 * job_workflow_ref}; else the e-mail claim; else {@code sub}), checks the proof of possession (a
 * signature over the token's {@code sub} with the submitted key), and issues a ten-minute
 * certificate with an embedded SCT.
 */
public final class LocalFulcioServer implements AutoCloseable {

  static final String GITHUB_ACTIONS = "https://token.actions.githubusercontent.com";

  private final Server server;

  LocalFulcioServer(LocalFulcio fulcio, List<LocalOidcIssuer> issuers, ServerTls tls) {
    try {
      ServerCredentials credentials = TlsServerCredentials.create(
          new ByteArrayInputStream(tls.certificatePem().getBytes(StandardCharsets.US_ASCII)),
          new ByteArrayInputStream(tls.privateKeyPem().getBytes(StandardCharsets.US_ASCII)));
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
          .addService(new Service(fulcio, issuers))
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Fulcio", e);
    }
  }

  public String url() {
    return "https://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Service extends CAGrpc.CAImplBase {
    private final LocalFulcio fulcio;
    private final List<LocalOidcIssuer> issuers;

    Service(LocalFulcio fulcio, List<LocalOidcIssuer> issuers) {
      this.fulcio = fulcio;
      this.issuers = issuers;
    }

    @Override
    public void createSigningCertificate(CreateSigningCertificateRequest request, StreamObserver<SigningCertificate> response) {
      JsonNode claims;
      LocalOidcIssuer issuer;
      try {
        String token = request.getCredentials().getOidcIdentityToken();
        issuer = issuerOf(token);
        claims = issuer.verify(token);
      } catch (IllegalArgumentException e) {
        response.onError(Status.UNAUTHENTICATED.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
      try {
        PublicKey key = parsePublicKey(request.getPublicKeyRequest().getPublicKey().getContent());
        Signature proof = Signature.getInstance("SHA256withECDSA");
        proof.initVerify(key);
        proof.update(claims.path("sub").asText().getBytes(StandardCharsets.UTF_8));
        if (!proof.verify(request.getPublicKeyRequest().getProofOfPossession().toByteArray())) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("proof of possession does not verify").asRuntimeException());
          return;
        }
        X509Certificate leaf = fulcio.issue(key, identity(issuer, claims), issuer.issuer(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        CertificateChain.Builder chain = CertificateChain.newBuilder().addCertificates(LocalSigstore.pem(leaf));
        fulcio.chain().forEach(certificate -> chain.addCertificates(LocalSigstore.pem(certificate)));
        response.onNext(SigningCertificate.newBuilder()
            .setSignedCertificateEmbeddedSct(SigningCertificateEmbeddedSCT.newBuilder().setChain(chain)).build());
        response.onCompleted();
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("bad public key request: " + e.getMessage()).asRuntimeException());
      }
    }

    private LocalOidcIssuer issuerOf(String token) {
      String[] parts = token.split("\\.");
      if (parts.length != 3) {
        throw new IllegalArgumentException("not a JWT");
      }
      String iss;
      try {
        iss = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1])).path("iss").asText();
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("token payload is not JSON");
      }
      return issuers.stream().filter(i -> i.issuer().equals(iss)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("issuer " + iss + " is not trusted by this Fulcio"));
    }

    private static String identity(LocalOidcIssuer issuer, JsonNode claims) {
      if (GITHUB_ACTIONS.equals(issuer.issuer())) {
        String ref = claims.path("job_workflow_ref").asText("");
        if (ref.isEmpty()) {
          throw new IllegalArgumentException("GitHub Actions token without job_workflow_ref");
        }
        return "https://github.com/" + ref;
      }
      if (claims.hasNonNull("email")) {
        return claims.get("email").asText();
      }
      return claims.path("sub").asText();
    }

    private static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
  }
}
