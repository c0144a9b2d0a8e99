package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A Rekor-like transparency log: an RFC 6962 Merkle tree of entry bodies, with for every entry an
 * inclusion proof, a signed checkpoint (the transparency-dev note format Rekor uses) and a signed
 * entry timestamp (SET) over the canonical JSON of body, integrated time, log ID and index.
 */
public final class LocalRekor {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair key = EcKeys.generate();
  private final String host;
  private final long treeId = 4242;
  private final List<byte[]> leaves = new ArrayList<>();

  /** @param host the log's host name: its base URL is {@code https://HOST}, and checkpoints are signed in that name */
  public LocalRekor(String host) {
    this.host = host;
    // A genesis leaf, so real entries start at index 1 with a non-empty proof: sigstore-java's bundle
    // writer treats index 0 and an empty proof as unset protobuf fields and refuses the bundle.
    leaves.add(leafHash("palisade local rekor genesis".getBytes(StandardCharsets.UTF_8)));
  }

  public String host() {
    return host;
  }

  public PublicKey publicKey() {
    return key.getPublic();
  }

  public byte[] logId() {
    return EcKeys.logId(key.getPublic());
  }

  /** One appended entry, with everything a client needs to prove it is in the log. */
  public record LoggedEntry(byte[] body, String kind, String version, long logIndex, long integratedTime, byte[] logId,
      byte[] set, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {

    /** The bundle's {@code tlogEntries[]} element (protobuf JSON: int64 as strings, bytes as base64). */
    public ObjectNode bundleEntry() {
      ObjectNode entry = JSON.createObjectNode();
      entry.put("logIndex", Long.toString(logIndex));
      entry.putObject("logId").put("keyId", b64(logId));
      ObjectNode kindVersion = entry.putObject("kindVersion");
      kindVersion.put("kind", kind);
      kindVersion.put("version", version);
      entry.put("integratedTime", Long.toString(integratedTime));
      entry.putObject("inclusionPromise").put("signedEntryTimestamp", b64(set));
      ObjectNode inclusion = entry.putObject("inclusionProof");
      inclusion.put("logIndex", Long.toString(logIndex));
      inclusion.put("rootHash", b64(rootHash));
      inclusion.put("treeSize", Long.toString(treeSize));
      ArrayNode proof = inclusion.putArray("hashes");
      hashes.forEach(hash -> proof.add(b64(hash)));
      inclusion.putObject("checkpoint").put("envelope", checkpoint);
      entry.put("canonicalizedBody", b64(body));
      return entry;
    }

    /** The Rekor v1 API's answer to {@code POST /api/v1/log/entries}: {@code {UUID: entry}}, hashes in hex. */
    public ObjectNode v1Response() {
      ObjectNode entry = JSON.createObjectNode();
      entry.put("body", b64(body));
      entry.put("integratedTime", integratedTime);
      entry.put("logID", HexFormat.of().formatHex(logId));
      entry.put("logIndex", logIndex);
      ObjectNode verification = entry.putObject("verification");
      ObjectNode inclusion = verification.putObject("inclusionProof");
      inclusion.put("checkpoint", checkpoint);
      ArrayNode proof = inclusion.putArray("hashes");
      hashes.forEach(hash -> proof.add(HexFormat.of().formatHex(hash)));
      inclusion.put("logIndex", logIndex);
      inclusion.put("rootHash", HexFormat.of().formatHex(rootHash));
      inclusion.put("treeSize", treeSize);
      verification.put("signedEntryTimestamp", b64(set));
      ObjectNode response = JSON.createObjectNode();
      response.set(uuid(), entry);
      return response;
    }

    /** Rekor's entry UUID: the leaf hash in hex. */
    public String uuid() {
      return HexFormat.of().formatHex(leafHash(body));
    }
  }

  /** Appends a canonicalized entry body and returns the bundle's {@code tlogEntries[]} element for it. */
  public ObjectNode append(byte[] canonicalBody, String kind, String version, long integratedTime) {
    return log(canonicalBody, kind, version, integratedTime).bundleEntry();
  }

  /** Appends a canonicalized entry body: proof, checkpoint and SET for the tree that now contains it. */
  public synchronized LoggedEntry log(byte[] canonicalBody, String kind, String version, long integratedTime) {
    long index = leaves.size();
    leaves.add(leafHash(canonicalBody));
    long size = leaves.size();
    byte[] root = treeHash(0, (int) size);
    List<byte[]> proof = new ArrayList<>();
    path((int) index, 0, (int) size, proof);
    String body = Base64.getEncoder().encodeToString(canonicalBody);
    String logIdHex = HexFormat.of().formatHex(logId());
    // Canonical JSON (RFC 8785): keys sorted, no white space; these values need no escaping.
    String signable = "{\"body\":\"" + body + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\"" + logIdHex
        + "\",\"logIndex\":" + index + "}";
    byte[] set = EcKeys.sign(key.getPrivate(), signable.getBytes(StandardCharsets.UTF_8));
    return new LoggedEntry(canonicalBody.clone(), kind, version, index, integratedTime, logId(), set, root, size,
        List.copyOf(proof), checkpoint(size, root));
  }

  /** A checkpoint note: origin, size, root hash, blank line, and the log's signature line. */
  String checkpoint(long size, byte[] root) {
    String note = host + " - " + treeId + "\n" + size + "\n" + b64(root) + "\n";
    byte[] signature = EcKeys.sign(key.getPrivate(), note.getBytes(StandardCharsets.UTF_8));
    byte[] hintAndSignature = new byte[4 + signature.length];
    System.arraycopy(logId(), 0, hintAndSignature, 0, 4);
    System.arraycopy(signature, 0, hintAndSignature, 4, signature.length);
    return note + "\n\u2014 " + host + " " + b64(hintAndSignature) + "\n";
  }

  static byte[] leafHash(byte[] data) {
    return EcKeys.sha256(new byte[] {0}, data);
  }

  private static byte[] nodeHash(byte[] left, byte[] right) {
    return EcKeys.sha256(new byte[] {1}, left, right);
  }

  /** MTH(D[from:to]) of RFC 6962 2.1. */
  private byte[] treeHash(int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(treeHash(from, from + k), treeHash(from + k, to));
  }

  /** PATH(m, D[from:to]) of RFC 6962 2.1.1, leaf to root. */
  private void path(int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(treeHash(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(treeHash(from, from + k));
    }
  }

  private static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "LocalRekor[" + host + ", " + leaves.size() + " entries, logId " + Arrays.toString(Arrays.copyOf(logId(), 4)) + "]";
  }
}
