package dev.palisade.release.base;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The files a Debian system gets from maintainer scripts and {@code adduser}, which the assembler
 * does not run: users and groups (with the non-root user the application runs as), {@code /tmp},
 * the user's home, and the dpkg status database that SBOM tools and scanners read.
 */
public final class SystemFiles {

  public static final String USER_NAME = "palisade";

  private SystemFiles() {}

  public static void write(RootFs fs, int uid, List<InstalledPackage> packages) {
    fs.put("etc/passwd", text(0644, "root:x:0:0:root:/root:/usr/sbin/nologin\n"
        + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        + USER_NAME + ":x:" + uid + ":" + uid + ":" + USER_NAME + ":/home/" + USER_NAME + ":/usr/sbin/nologin\n"));
    fs.put("etc/group", text(0644, "root:x:0:\nnogroup:x:65534:\n" + USER_NAME + ":x:" + uid + ":\n"));
    fs.put("etc/nsswitch.conf", text(0644, "passwd: files\ngroup: files\nhosts: files dns\n"));
    fs.put("root", FsNode.directory(0700));
    fs.put("tmp", FsNode.directory(01777));
    fs.put("home/" + USER_NAME, FsNode.directory(0755).ownedBy(uid, uid));
    fs.put("var/lib/dpkg/status", FsNode.file(0644, dpkgStatus(packages)));
  }

  /** One paragraph per package, as dpkg writes them after a successful install. */
  static byte[] dpkgStatus(List<InstalledPackage> packages) {
    StringBuilder out = new StringBuilder();
    for (InstalledPackage p : packages) {
      String control = p.control().strip();
      int firstNewline = control.indexOf('\n');
      // dpkg puts Status right after Package.
      String head = firstNewline < 0 ? control : control.substring(0, firstNewline);
      String rest = firstNewline < 0 ? "" : control.substring(firstNewline + 1);
      out.append(head).append('\n').append("Status: install ok installed\n");
      if (!rest.isEmpty()) {
        out.append(rest).append('\n');
      }
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static FsNode text(int mode, String content) {
    return FsNode.file(mode, content.getBytes(StandardCharsets.UTF_8));
  }
}
