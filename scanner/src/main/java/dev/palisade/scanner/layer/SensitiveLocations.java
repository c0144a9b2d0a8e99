package dev.palisade.scanner.layer;

import dev.palisade.scanner.rules.PathGlob;
import java.util.List;

/**
 * Paths whose mere content makes something run: interpreter startup hooks and persistence
 * locations. The content rules for these places (policies/rules/hooks.yaml, persistence.yaml) only
 * see a file's bytes under the path it was written at; a hard link gives those bytes a second name
 * without any bytes in the tar, so a payload written somewhere harmless (possibly by an earlier
 * layer) and then hard-linked into one of these places would never be checked there. A hard link
 * landing on any of these paths is therefore reported by {@link LayerScanner} on its own.
 *
 * <p>Keep this list in step with the {@code paths.include} globs of those rules; it is data, one glob
 * per location, in {@link PathGlob} syntax (no leading slash).
 */
public final class SensitiveLocations {

  /** The globs, in {@link PathGlob} syntax. */
  public static final List<String> GLOBS = List.of(
      // Python startup hooks (hook.python.pth-exec, hook.python.sitecustomize)
      "**/site-packages/*.pth", "**/dist-packages/*.pth", "**/sitecustomize.py", "**/usercustomize.py",
      // dynamic loader preload (persistence.ld-so-preload)
      "etc/ld.so.preload",
      // cron (persistence.cron.suspicious-entry)
      "etc/crontab", "etc/cron.d/**", "etc/cron.hourly/**", "etc/cron.daily/**", "etc/cron.weekly/**",
      "etc/cron.monthly/**", "var/spool/cron/**",
      // systemd units (persistence.systemd.suspicious-unit)
      "etc/systemd/system/**", "lib/systemd/system/**", "usr/lib/systemd/system/**", "etc/systemd/user/**",
      "usr/lib/systemd/user/**", "**/.config/systemd/user/**",
      // login and environment scripts (persistence.login-script, hook.java.javaagent-env)
      "etc/environment", "etc/profile", "etc/profile.d/**", "etc/bash.bashrc", "etc/rc.local", "etc/rc.d/rc.local",
      "root/.bashrc", "root/.profile", "root/.bash_profile", "home/*/.bashrc", "home/*/.profile", "home/*/.bash_profile",
      // SSH keys (persistence.ssh.authorized-keys)
      "root/.ssh/authorized_keys", "root/.ssh/authorized_keys2", "home/*/.ssh/authorized_keys",
      "home/*/.ssh/authorized_keys2", "etc/ssh/authorized_keys/**");

  private static final List<PathGlob> COMPILED = GLOBS.stream().map(PathGlob::of).toList();

  private SensitiveLocations() {}

  /** The first glob that a normalised image path matches, or null when it matches none. */
  public static String match(String path) {
    for (PathGlob glob : COMPILED) {
      if (glob.matches(path)) {
        return glob.glob();
      }
    }
    return null;
  }
}
