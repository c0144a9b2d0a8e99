package dev.palisade.gateway.auth;

import dev.palisade.gateway.config.AuthMethod;
import dev.palisade.gateway.config.CertMatch;
import dev.palisade.gateway.config.ConsumerConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Names the consumer of a TLS client certificate. The TLS layer has already checked the chain
 * against the client CA; this only maps the leaf certificate to a consumer.
 */
final class ClientCertAuthenticator {

  /** SAN types compared: e-mail (1), DNS (2), URI (6), IP (7). */
  private static final List<Integer> NAME_TYPES = List.of(1, 2, 6, 7);

  private final CertMatch match;
  private final Map<String, ConsumerConfig> byIdentity = new HashMap<>();

  ClientCertAuthenticator(CertMatch match, List<ConsumerConfig> consumers) {
    this.match = match;
    for (ConsumerConfig c : consumers) {
      String id = switch (match) {
        case FINGERPRINT -> c.identities().certSha256();
        case SUBJECT -> c.identities().certSubject() == null ? null : normalizeSubject(c.identities().certSubject());
        case SAN -> c.identities().certSan();
      };
      if (id != null) {
        byIdentity.put(id, c);
      }
    }
  }

  /** The RFC 2253 form Java prints, so spacing and attribute-name case do not matter. */
  static String normalizeSubject(String dn) {
    return new X500Principal(dn).getName(X500Principal.RFC2253);
  }

  static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash a certificate the TLS layer accepted", e);
    }
  }

  AuthOutcome authenticate(X509Certificate leaf) {
    ConsumerConfig consumer = switch (match) {
      case FINGERPRINT -> byIdentity.get(sha256(leaf));
      case SUBJECT -> byIdentity.get(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253));
      case SAN -> bySan(leaf);
    };
    if (consumer == null) {
      return AuthOutcome.unauthorized("unknown_certificate",
          "The client certificate does not belong to any consumer of this gateway.");
    }
    return new AuthOutcome.Authenticated(consumer, AuthMethod.CLIENT_CERT);
  }

  private ConsumerConfig bySan(X509Certificate leaf) {
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (names == null) {
      return null;
    }
    for (List<?> name : names) {
      if (name.size() >= 2 && NAME_TYPES.contains(name.get(0)) && name.get(1) instanceof String value) {
        ConsumerConfig c = byIdentity.get(value);
        if (c != null) {
          return c;
        }
      }
    }
    return null;
  }
}
