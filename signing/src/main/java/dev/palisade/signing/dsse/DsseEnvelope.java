package dev.palisade.signing.dsse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A DSSE envelope. Signatures are over {@link #pae()}, never over the payload alone: the payload
 * type is signed too, so an in-toto statement cannot be replayed as another kind of document.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<DsseSignature> signatures) {

  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  public DsseEnvelope {
    if (payloadType == null || payloadType.isEmpty()) {
      throw new IllegalArgumentException("a DSSE envelope needs a payloadType");
    }
    if (payload == null) {
      throw new IllegalArgumentException("a DSSE envelope needs a payload");
    }
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The bytes signed: {@code DSSEv1 SP len(type) SP type SP len(body) SP body}. */
  public byte[] pae() {
    return pae(payloadType, payload);
  }

  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }
}
