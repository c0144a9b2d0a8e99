package dev.palisade.scanner.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.scanner.match.Base58;
import dev.palisade.scanner.match.WalletKindTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * One test sample from a cases file under {@code src/test/resources/detect/}: bytes built in the
 * test (a tiny ELF header, text, wide text, hex, filler), and what one rule should say about them.
 */
record SampleCase(String name, String rule, boolean expectMatch, boolean config, String path, int mode, byte[] bytes) {

  static final String ANY_RULE = "*";

  /** A minimal ELF64 header: enough for magic gates and the ELF fact, executes nothing. */
  static byte[] elfHeader() {
    byte[] h = new byte[64];
    byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    System.arraycopy(ident, 0, h, 0, ident.length);
    h[16] = 2; // ET_EXEC
    h[18] = 0x3e; // x86-64
    h[20] = 1; // EV_CURRENT
    h[52] = 64; // e_ehsize
    return h;
  }

  /** Deterministic bytes that look binary (seeded by the case name). */
  static byte[] filler(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String substitute(String text) {
    return text.replace("${MONERO}", WalletKindTest.MONERO_DONATION)
        .replace("${MONERO_BAD}", badMonero())
        .replace("${WOWNERO}", WalletKindTest.cryptoNoteAddress(4146, 64, 42))
        .replace("${BTC}", WalletKindTest.BITCOIN_GENESIS);
  }

  /** 95 base58 characters shaped like a Monero address whose checksum is wrong. */
  static String badMonero() {
    Random r = new Random(95);
    StringBuilder sb = new StringBuilder("4A");
    while (sb.length() < 95) {
      sb.append(Base58.ALPHABET.charAt(r.nextInt(58)));
    }
    return sb.toString();
  }

  static List<SampleCase> load(String resource) throws IOException {
    JsonNode root;
    try (InputStream in = SampleCase.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      root = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<SampleCase> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      String name = c.get("name").asText();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      if (c.path("elf").asBoolean(false)) {
        bytes.writeBytes(elfHeader());
      }
      int partNo = 0;
      for (JsonNode part : c.path("parts")) {
        if (part.has("text")) {
          String t = substitute(part.get("text").asText());
          for (char ch : t.toCharArray()) {
            if (ch > 0xff) {
              throw new IOException(name + ": text parts are ISO-8859-1; use wide or hex");
            }
          }
          bytes.writeBytes(t.getBytes(StandardCharsets.ISO_8859_1));
        } else if (part.has("wide")) {
          bytes.writeBytes(substitute(part.get("wide").asText()).getBytes(StandardCharsets.UTF_16LE));
        } else if (part.has("hex")) {
          bytes.writeBytes(HexFormat.of().parseHex(part.get("hex").asText().replaceAll("\\s+", "")));
        } else if (part.has("base64")) {
          // Payloads hidden as base64 / hex text: the engine must decode and rescan them.
          bytes.writeBytes(java.util.Base64.getEncoder().encode(substitute(part.get("base64").asText()).getBytes(StandardCharsets.ISO_8859_1)));
        } else if (part.has("hexenc")) {
          bytes.writeBytes(HexFormat.of().formatHex(substitute(part.get("hexenc").asText()).getBytes(StandardCharsets.ISO_8859_1))
              .getBytes(StandardCharsets.US_ASCII));
        } else if (part.has("filler")) {
          bytes.writeBytes(filler(part.get("filler").asInt(), name.hashCode() * 31L + partNo));
        } else {
          throw new IOException(name + ": unknown part " + part);
        }
        partNo++;
      }
      String expect = c.get("expect").asText();
      if (!expect.equals("match") && !expect.equals("no-match")) {
        throw new IOException(name + ": expect must be match or no-match");
      }
      out.add(new SampleCase(name, c.get("rule").asText(), expect.equals("match"),
          c.path("scope").asText("files").equals("config"), c.path("path").asText("sample"),
          Integer.parseInt(c.path("mode").asText("0755"), 8), bytes.toByteArray()));
    }
    return out;
  }

  /** Runs the sample through the detector, feeding a file in chunks of {@code chunk} bytes. */
  List<Detection> run(Detector detector, int chunk) {
    if (config) {
      return detector.scanText(new TextContext("Cmd", new String(bytes, StandardCharsets.ISO_8859_1)));
    }
    return runFile(detector, path, chunk);
  }

  List<Detection> runFile(Detector detector, String asPath, int chunk) {
    MatchSession s = detector.open(new FileContext(asPath, bytes.length, mode));
    for (int pos = 0; pos < bytes.length && s.wantsMore(); pos += chunk) {
      s.update(bytes, pos, Math.min(chunk, bytes.length - pos));
    }
    return s.finish();
  }

  @Override
  public String toString() {
    return name;
  }
}
