package dev.palisade.release.base;

import java.util.Objects;

/**
 * One entry of a root filesystem as it goes into a layer. Owners and times are not kept per entry:
 * the layer writer stamps fixed ones, so nothing of the machine that built it leaks in.
 */
public record FsNode(Type type, int mode, int uid, int gid, byte[] content, String linkTarget) {

  public enum Type { DIRECTORY, FILE, SYMLINK }

  public FsNode {
    Objects.requireNonNull(type, "type");
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode must hold permission bits only: " + Integer.toOctalString(mode));
    }
    if (type == Type.FILE && content == null) {
      throw new IllegalArgumentException("a file needs content");
    }
    if (type == Type.SYMLINK && (linkTarget == null || linkTarget.isEmpty())) {
      throw new IllegalArgumentException("a symlink needs a target");
    }
  }

  public static FsNode directory(int mode) {
    return new FsNode(Type.DIRECTORY, mode, 0, 0, null, null);
  }

  public static FsNode file(int mode, byte[] content) {
    return new FsNode(Type.FILE, mode, 0, 0, content, null);
  }

  public static FsNode symlink(String target) {
    return new FsNode(Type.SYMLINK, 0777, 0, 0, null, target);
  }

  public FsNode ownedBy(int newUid, int newGid) {
    return new FsNode(type, mode, newUid, newGid, content, linkTarget);
  }
}
