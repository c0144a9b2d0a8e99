package dev.palisade.scanner.rules;

/**
 * Text string modifiers, named as in YARA. {@code ascii} and {@code wide} choose encodings (ascii is
 * the default when neither is given); {@code base64} and {@code base64wide} replace the plain
 * encodings, as in YARA, and cannot be combined with nocase or fullword.
 */
public enum Modifier {
  ASCII,
  WIDE,
  NOCASE,
  FULLWORD,
  BASE64,
  BASE64WIDE
}
