package dev.palisade.scanner.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes such as {@code 512}, {@code 64K}, {@code 256M}, {@code 4G} (powers of 1024). */
final class SizeConverter implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String text = value.trim().toUpperCase(Locale.ROOT);
    if (text.endsWith("B")) {
      text = text.substring(0, text.length() - 1);
    }
    long multiplier = 1;
    if (!text.isEmpty()) {
      switch (text.charAt(text.length() - 1)) {
        case 'K' -> multiplier = 1L << 10;
        case 'M' -> multiplier = 1L << 20;
        case 'G' -> multiplier = 1L << 30;
        case 'T' -> multiplier = 1L << 40;
        default -> multiplier = 1;
      }
      if (multiplier > 1) {
        text = text.substring(0, text.length() - 1);
      }
    }
    try {
      long number = Long.parseLong(text);
      if (number <= 0 || number > Long.MAX_VALUE / multiplier) {
        throw new TypeConversionException("'" + value + "' is not a positive size");
      }
      return number * multiplier;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a size (examples: 4096, 64K, 256M, 4G)");
    }
  }
}
