package dev.palisade.release;

/**
 * Every way a release can fail, with its exit code. The one place exit codes are decided: the CLI
 * maps a {@link ReleaseException} through here, and {@code --help} lists this table.
 */
public enum Failure {
  USAGE(2, "bad usage or invalid configuration"),
  GIT_STATE(10, "git state refused: dirty tree, no version tag, unsigned tag"),
  BASE_IMAGE(11, "base image refused or could not be assembled (not pinned by digest, checksum mismatch)"),
  BUILD(12, "image build failed"),
  SCAN_GATE(13, "scan gate: findings at or above the threshold, or an incomplete scan; nothing pushed"),
  REGISTRY_AUTH(14, "registry refused the credentials"),
  REGISTRY(15, "registry error while pushing or reading back"),
  NOT_REPRODUCIBLE(16, "rebuild from a clean clone gave a different image"),
  IO(17, "file or network input/output error"),
  SIGNING(18, "signing failed: key or password, identity token, Sigstore, or attaching the signatures");

  private final int exitCode;
  private final String description;

  Failure(int exitCode, String description) {
    this.exitCode = exitCode;
    this.description = description;
  }

  public int exitCode() {
    return exitCode;
  }

  public String description() {
    return description;
  }
}
