package dev.palisade.release.verify;

import java.util.Map;
import java.util.Objects;

/**
 * What a tar entry of a layer says about one file, everything that could differ between two
 * builds: header fields, PAX records, and the content's SHA-256.
 */
public record LayerEntry(String path, char type, int mode, long uid, long gid, String userName, String groupName,
    long mtimeSeconds, long size, String linkTarget, String contentSha256, Map<String, String> paxRecords) {

  public LayerEntry {
    Objects.requireNonNull(path, "path");
    userName = userName == null ? "" : userName;
    groupName = groupName == null ? "" : groupName;
    linkTarget = linkTarget == null ? "" : linkTarget;
    contentSha256 = contentSha256 == null ? "" : contentSha256;
    paxRecords = Map.copyOf(paxRecords);
  }

  /** Field-by-field differences to another entry for the same path, e.g. {@code mtime 1 != 2}. */
  public String differencesTo(LayerEntry other) {
    StringBuilder out = new StringBuilder();
    field(out, "type", type, other.type);
    field(out, "mode", Integer.toOctalString(mode), Integer.toOctalString(other.mode));
    field(out, "uid", uid, other.uid);
    field(out, "gid", gid, other.gid);
    field(out, "uname", "'" + userName + "'", "'" + other.userName + "'");
    field(out, "gname", "'" + groupName + "'", "'" + other.groupName + "'");
    field(out, "mtime", mtimeSeconds, other.mtimeSeconds);
    field(out, "size", size, other.size);
    field(out, "link", linkTarget, other.linkTarget);
    field(out, "content sha256", abbreviate(contentSha256), abbreviate(other.contentSha256));
    field(out, "pax", new java.util.TreeMap<>(paxRecords), new java.util.TreeMap<>(other.paxRecords));
    return out.toString();
  }

  private static void field(StringBuilder out, String name, Object a, Object b) {
    if (!a.equals(b)) {
      out.append(out.length() == 0 ? "" : ", ").append(name).append(' ').append(a).append(" != ").append(b);
    }
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
