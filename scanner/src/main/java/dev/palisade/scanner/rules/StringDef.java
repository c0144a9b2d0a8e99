package dev.palisade.scanner.rules;

import dev.palisade.scanner.match.HexPattern;
import dev.palisade.scanner.match.WalletKind;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** One named string of a rule. */
public sealed interface StringDef {

  /** Name within the rule, referenced by the condition. */
  String name();

  /** Text, encoded as UTF-8 (ascii), UTF-16LE (wide) or base64 variants, as the modifiers say. */
  record Text(String name, String text, Set<Modifier> modifiers) implements StringDef {
    public Text {
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException("text must not be empty");
      }
      modifiers = Set.copyOf(modifiers);
    }

    public boolean has(Modifier m) {
      return modifiers.contains(m);
    }
  }

  /** Bytes with wildcards and jumps. */
  record Hex(String name, HexPattern pattern) implements StringDef {}

  /**
   * A regex evaluated only in a window of {@code maxLength} bytes each side of a hit of one of its
   * {@code anchors}; every match must contain an anchor and be at most {@code maxLength} long.
   *
   * @param anchorStartsMatch true when every match provably starts with an anchor hit, so the
   *     engine tries one anchored match per hit instead of searching the window
   */
  record Regex(
      String name, String regex, Pattern compiled, List<String> anchors, boolean nocase, boolean fullword, int maxLength,
      boolean anchorStartsMatch)
      implements StringDef {
    public static final int MAX_WINDOW = 4096;

    public Regex {
      anchors = List.copyOf(anchors);
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("a regex needs at least one anchor literal");
      }
      if (maxLength < 1 || maxLength > MAX_WINDOW) {
        throw new IllegalArgumentException("maxLength must be within 1.." + MAX_WINDOW);
      }
    }
  }

  /** A wallet address of one kind, counted only when its checksum is valid. */
  record Wallet(String name, WalletKind kind) implements StringDef {}
}
