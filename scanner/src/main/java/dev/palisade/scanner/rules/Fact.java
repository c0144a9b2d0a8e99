package dev.palisade.scanner.rules;

/** File facts a condition can test, named {@code elf}, {@code pe}, {@code macho}, {@code elf.upx}, {@code go.buildinfo}, {@code file}. */
public enum Fact {
  /** ELF magic at offset 0. */
  ELF("elf"),
  /** MZ magic at offset 0. */
  PE("pe"),
  /** Mach-O magic (32/64-bit, either byte order) at offset 0. */
  MACHO("macho"),
  /** An ELF file that carries the UPX packer's {@code UPX!} marker or a {@code UPX0} section name. */
  ELF_UPX("elf.upx"),
  /** An executable (ELF, PE, Mach-O) that carries Go build info ({@code \xff Go buildinf:}). */
  GO_BUILDINFO("go.buildinfo"),
  /**
   * True for every file that passed the rule's gate: for rules decided by path, mode and magic
   * alone (a setuid script outside the system directories, a non-empty ld.so.preload).
   */
  FILE("file");

  private final String ruleName;

  Fact(String ruleName) {
    this.ruleName = ruleName;
  }

  public String ruleName() {
    return ruleName;
  }

  public static Fact fromRuleName(String name) {
    for (Fact f : values()) {
      if (f.ruleName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
