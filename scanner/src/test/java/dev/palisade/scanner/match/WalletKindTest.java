package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class WalletKindTest {

  /** The Monero project's published general-fund donation address. */
  public static final String MONERO_DONATION =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
  /** The Bitcoin genesis block's coinbase address. */
  public static final String BITCOIN_GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";

  /** A CryptoNote address with a valid checksum over random keys. */
  public static String cryptoNoteAddress(long prefix, int payloadBytes, long seed) {
    byte[] varint = varint(prefix);
    byte[] body = new byte[varint.length + payloadBytes];
    System.arraycopy(varint, 0, body, 0, varint.length);
    byte[] keys = new byte[payloadBytes];
    new Random(seed).nextBytes(keys);
    System.arraycopy(keys, 0, body, varint.length, payloadBytes);
    byte[] hash = Keccak.keccak256(body);
    byte[] full = new byte[body.length + 4];
    System.arraycopy(body, 0, full, 0, body.length);
    System.arraycopy(hash, 0, full, body.length, 4);
    return Base58.encodeCryptoNote(full);
  }

  public static String bitcoinAddress(int version, long seed) throws Exception {
    byte[] payload = new byte[21];
    payload[0] = (byte) version;
    byte[] h = new byte[20];
    new Random(seed).nextBytes(h);
    System.arraycopy(h, 0, payload, 1, 20);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] check = sha.digest(sha.digest(payload));
    byte[] full = new byte[25];
    System.arraycopy(payload, 0, full, 0, 21);
    System.arraycopy(check, 0, full, 21, 4);
    return Base58.encodeBitcoin(full);
  }

  private static byte[] varint(long v) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (v >= 0x80) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  @Test
  void realMoneroAddressValidates() {
    assertTrue(WalletKind.MONERO.isValid(MONERO_DONATION));
    assertFalse(WalletKind.WOWNERO.isValid(MONERO_DONATION));
  }

  @Test
  void everySingleCharacterChangeBreaksTheChecksum() {
    char[] chars = MONERO_DONATION.toCharArray();
    for (int i = 1; i < chars.length; i += 7) {
      char[] copy = chars.clone();
      copy[i] = copy[i] == 'z' ? 'y' : 'z';
      assertFalse(WalletKind.MONERO.isValid(new String(copy)), "changed at " + i);
    }
  }

  @Test
  void generatedAddressesOfEachFormatValidate() throws Exception {
    String standard = cryptoNoteAddress(18, 64, 1);
    String integrated = cryptoNoteAddress(19, 72, 2);
    String sub = cryptoNoteAddress(42, 64, 3);
    assertEquals(95, standard.length());
    assertEquals(106, integrated.length());
    assertTrue(standard.startsWith("4") && sub.startsWith("8"));
    assertTrue(WalletKind.MONERO.isValid(standard));
    assertTrue(WalletKind.MONERO.isValid(integrated));
    assertTrue(WalletKind.MONERO.isValid(sub));
    String wow = cryptoNoteAddress(4146, 64, 4);
    assertEquals(97, wow.length());
    assertTrue(wow.startsWith("Wo"), wow);
    assertTrue(WalletKind.WOWNERO.isValid(wow));
    assertFalse(WalletKind.MONERO.isValid(wow));
    assertTrue(WalletKind.BITCOIN.isValid(BITCOIN_GENESIS));
    assertTrue(WalletKind.BITCOIN.isValid(bitcoinAddress(5, 9)));
  }

  @Test
  void randomBase58OfTheRightShapeFailsTheChecksum() {
    Random random = new Random(11);
    for (int n = 0; n < 200; n++) {
      StringBuilder sb = new StringBuilder("4");
      sb.append("ABCDEFGHJK".charAt(random.nextInt(10)));
      while (sb.length() < 95) {
        sb.append(Base58.ALPHABET.charAt(random.nextInt(58)));
      }
      assertFalse(WalletKind.MONERO.isValid(sb), sb.toString());
    }
    assertFalse(WalletKind.BITCOIN.isValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
  }

  @Test
  void cryptoNoteBase58RoundTrips() {
    byte[] data = new byte[77];
    new Random(5).nextBytes(data);
    byte[] back = Base58.decodeCryptoNote(Base58.encodeCryptoNote(data));
    assertNotNull(back);
    assertEquals(java.util.HexFormat.of().formatHex(data), java.util.HexFormat.of().formatHex(back));
  }
}
