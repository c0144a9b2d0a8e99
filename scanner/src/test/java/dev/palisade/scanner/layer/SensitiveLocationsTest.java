package dev.palisade.scanner.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SensitiveLocationsTest {

  @Test
  void startupHookAndPersistencePathsMatch() {
    for (String path : List.of("usr/lib/python3/dist-packages/x.pth", "usr/local/lib/python3.11/site-packages/a.pth",
        "usr/lib/python3.11/sitecustomize.py", "etc/ld.so.preload", "etc/cron.d/x", "etc/crontab", "var/spool/cron/crontabs/root",
        "etc/systemd/system/x.service", "etc/systemd/system/multi-user.target.wants/x.service", "root/.ssh/authorized_keys",
        "home/app/.ssh/authorized_keys2", "etc/profile.d/z.sh", "etc/rc.local", "root/.config/systemd/user/x.service")) {
      assertNotNull(SensitiveLocations.match(path), path);
    }
  }

  @Test
  void ordinaryPathsDoNotMatch() {
    for (String path : List.of("usr/bin/perl5.36", "usr/bin/perl", "usr/lib/python3/dist-packages/x.py",
        "usr/lib/python3/dist-packages/sub/x.pth", "etc/ld.so.conf", "etc/cron.allow", "root/.ssh/known_hosts",
        "etc/systemd/journald.conf", "usr/share/doc/x/README")) {
      assertNull(SensitiveLocations.match(path), path);
    }
  }

  /** The list is meant to follow the path globs of the hook and persistence rules: each must appear there. */
  @Test
  void everyGlobIsARulePathGlob() throws IOException {
    Path rules = null;
    for (Path p = Path.of("").toAbsolutePath(); p != null && rules == null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("policies/rules"))) {
        rules = p.resolve("policies/rules");
      }
    }
    assertNotNull(rules, "policies/rules not found");
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(rules)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        text.append(Files.readString(f));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String glob : SensitiveLocations.GLOBS) {
      if (text.indexOf("\"" + glob + "\"") < 0) {
        missing.add(glob);
      }
    }
    assertEquals(List.of(), missing);
  }
}
