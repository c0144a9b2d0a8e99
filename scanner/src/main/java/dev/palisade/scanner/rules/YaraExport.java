package dev.palisade.scanner.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates our rules to YARA source, so the {@code yara} CLI can cross-check our engine.
 *
 * <p>What maps: text strings with ascii/wide/nocase/fullword/base64/base64wide, hex strings (bytes,
 * nibble wildcards, bounded jumps), regexes (nocase, fullword), any/all/N-of conditions, ELF/PE/
 * Mach-O/UPX/Go facts, filesize limits, magic bytes at an offset, the text gate (no NUL in the first
 * 512 bytes) and the JSON gate.
 *
 * <p>What does not map, and is excluded rather than approximated: wallet strings (YARA cannot check
 * a checksum), config-only rules (no file to scan), rules whose type test is only path globs, and
 * regexes with back-references. Path globs of exportable rules are dropped and listed in
 * {@link Result#dropped()}: a cross-check must then give our engine a path no glob matches. Our
 * regex windows ({@code maxLength}) have no YARA counterpart either; they agree as long as matches
 * are shorter than the window.
 */
public final class YaraExport {

  /** The outcome for one rule: YARA source, or why there is none. */
  public record Result(String ruleId, String yaraName, String source, String notExportable, List<String> dropped) {
    public Result {
      dropped = List.copyOf(dropped);
    }

    public boolean exportable() {
      return source != null;
    }
  }

  private YaraExport() {}

  /** The YARA identifier for a rule id: {@code miner.xmrig.binary} becomes {@code miner_xmrig_binary}. */
  public static String yaraName(String ruleId) {
    return ruleId.replaceAll("[^A-Za-z0-9_]", "_");
  }

  public static List<Result> exportAll(RuleSet set) {
    List<Result> out = new ArrayList<>();
    for (Rule r : set.rules()) {
      out.add(export(r));
    }
    return out;
  }

  /** All exportable rules as one YARA source file. */
  public static String source(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    for (Result r : results) {
      if (r.exportable()) {
        sb.append(r.source()).append('\n');
      }
    }
    return sb.toString();
  }

  public static Result export(Rule rule) {
    String name = yaraName(rule.id());
    List<String> dropped = new ArrayList<>();
    if (!rule.scope().contains(Scope.FILES)) {
      return new Result(rule.id(), name, null, "config-only rule: no file content to scan", dropped);
    }
    Gate gate = rule.gate();
    if (!gate.include().isEmpty() && gate.magic().isEmpty()) {
      return new Result(rule.id(), name, null, "its type test is path globs only, which YARA cannot see", dropped);
    }
    if (gate.modeAny() != 0) {
      return new Result(rule.id(), name, null, "its gate tests Unix mode bits, which YARA cannot see", dropped);
    }
    if (!gate.include().isEmpty()) {
      dropped.add("paths.include " + gate.include());
    }
    if (!gate.exclude().isEmpty()) {
      dropped.add("paths.exclude " + gate.exclude());
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (StringDef s : rule.strings()) {
      String why = string(s, strings);
      if (why != null) {
        return new Result(rule.id(), name, null, "string " + s.name() + ": " + why, dropped);
      }
    }
    List<String> gateTerms = new ArrayList<>();
    if (gate.minSize() > 0) {
      gateTerms.add("filesize >= " + gate.minSize());
    }
    if (gate.maxSize() != Gate.UNLIMITED) {
      gateTerms.add("filesize <= " + gate.maxSize());
    }
    if (!gate.magic().isEmpty()) {
      List<String> alternatives = new ArrayList<>();
      for (Magic m : gate.magic()) {
        alternatives.add(magic(m, strings));
      }
      gateTerms.add("(" + String.join(" or ", alternatives) + ")");
    }
    String condition;
    try {
      condition = condition(rule.condition(), strings);
    } catch (IllegalArgumentException e) {
      return new Result(rule.id(), name, null, e.getMessage(), dropped);
    }
    gateTerms.add(condition);
    StringBuilder sb = new StringBuilder();
    sb.append("rule ").append(name).append("\n{\n  meta:\n");
    sb.append("    id = ").append(quote(rule.id())).append('\n');
    sb.append("    severity = ").append(quote(rule.severity().name())).append('\n');
    sb.append("    category = ").append(quote(rule.category())).append('\n');
    if (!strings.isEmpty()) {
      sb.append("  strings:\n");
      strings.forEach((k, v) -> sb.append("    $").append(k).append(" = ").append(v).append('\n'));
    }
    sb.append("  condition:\n    ").append(String.join(" and ", gateTerms)).append("\n}\n");
    return new Result(rule.id(), name, sb.toString(), null, dropped);
  }

  private static String string(StringDef s, Map<String, String> out) {
    if (s instanceof StringDef.Wallet) {
      return "wallet addresses need a checksum check YARA cannot express";
    }
    if (s instanceof StringDef.Hex h) {
      out.put(s.name(), "{ " + h.pattern().toYara() + " }");
      return null;
    }
    if (s instanceof StringDef.Regex re) {
      if (re.regex().matches(".*\\\\[1-9].*")) {
        return "back-references have no YARA equivalent";
      }
      StringBuilder mods = new StringBuilder();
      if (re.nocase()) {
        mods.append(" nocase");
      }
      if (re.fullword()) {
        mods.append(" fullword");
      }
      out.put(s.name(), "/" + escapeSlashes(re.regex()) + "/" + mods);
      return null;
    }
    StringDef.Text t = (StringDef.Text) s;
    Set<String> mods = new TreeSet<>();
    if (t.has(Modifier.BASE64)) {
      mods.add("base64");
    }
    if (t.has(Modifier.BASE64WIDE)) {
      mods.add("base64wide");
    }
    if (mods.isEmpty()) {
      if (t.has(Modifier.ASCII) || !t.has(Modifier.WIDE)) {
        mods.add("ascii");
      }
      if (t.has(Modifier.WIDE)) {
        mods.add("wide");
      }
      if (t.has(Modifier.NOCASE)) {
        mods.add("nocase");
      }
      if (t.has(Modifier.FULLWORD)) {
        mods.add("fullword");
      }
    }
    out.put(s.name(), quote(t.text()) + " " + String.join(" ", mods));
    return null;
  }

  private static String magic(Magic m, Map<String, String> strings) {
    String key = "__magic_" + m.name().replaceAll("[^A-Za-z0-9]", "_") + "_" + strings.size();
    switch (m.kind()) {
      case TEXT:
        strings.put(key, "{ 00 }");
        return "not $" + key + " in (0.." + (Magic.TEXT_PROBE - 1) + ")";
      case JSON:
        strings.put(key, "/\\s{0,64}[\\[{]/");
        return "$" + key + " at 0";
      default:
        StringBuilder hex = new StringBuilder();
        for (byte b : m.bytes()) {
          hex.append(String.format("%02X ", b & 0xff));
        }
        strings.put(key, "{ " + hex.toString().trim() + " }");
        return "$" + key + " at " + m.offset();
    }
  }

  private static String condition(Condition c, Map<String, String> strings) {
    if (c instanceof Condition.Str s) {
      return "$" + s.name();
    }
    if (c instanceof Condition.FactIs f) {
      return fact(f.fact(), strings);
    }
    List<Condition> items;
    int n;
    if (c instanceof Condition.Any a) {
      items = a.of();
      n = 1;
    } else if (c instanceof Condition.All a) {
      items = a.of();
      n = items.size();
    } else {
      Condition.AtLeast a = (Condition.AtLeast) c;
      items = a.of();
      n = a.n();
    }
    List<String> parts = new ArrayList<>();
    boolean allStrings = true;
    for (Condition x : items) {
      parts.add(condition(x, strings));
      allStrings &= x instanceof Condition.Str;
    }
    if (n == 1) {
      return "(" + String.join(" or ", parts) + ")";
    }
    if (n == parts.size()) {
      return "(" + String.join(" and ", parts) + ")";
    }
    if (allStrings) {
      return n + " of (" + String.join(", ", parts) + ")";
    }
    List<String> combos = new ArrayList<>();
    combinations(parts, n, 0, new ArrayList<>(), combos);
    if (combos.size() > 256) {
      throw new IllegalArgumentException("atLeast over nested conditions expands to too many YARA terms");
    }
    return "(" + String.join(" or ", combos) + ")";
  }

  private static void combinations(List<String> parts, int n, int from, List<String> chosen, List<String> out) {
    if (chosen.size() == n) {
      out.add("(" + String.join(" and ", chosen) + ")");
      return;
    }
    for (int i = from; i < parts.size() && out.size() <= 256; i++) {
      chosen.add(parts.get(i));
      combinations(parts, n, i + 1, chosen, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  private static String fact(Fact f, Map<String, String> strings) {
    switch (f) {
      case ELF:
        return magic(Magic.named("elf").get(0), strings);
      case PE:
        return magic(Magic.named("pe").get(0), strings);
      case MACHO: {
        List<String> alts = new ArrayList<>();
        for (Magic m : Magic.named("macho")) {
          alts.add(magic(m, strings));
        }
        return "(" + String.join(" or ", alts) + ")";
      }
      case FILE:
        return "true";
      case ELF_UPX:
        strings.put("__fact_upx", "\"UPX!\"");
        strings.put("__fact_upx_section", "{ 00 55 50 58 30 00 }");
        return "(" + magic(Magic.named("elf").get(0), strings) + " and ($__fact_upx or $__fact_upx_section))";
      default: {
        strings.put("__fact_go", "{ FF 20 47 6F 20 62 75 69 6C 64 69 6E 66 3A }");
        List<String> exe = new ArrayList<>();
        exe.add(magic(Magic.named("elf").get(0), strings));
        exe.add(magic(Magic.named("pe").get(0), strings));
        for (Magic m : Magic.named("macho")) {
          exe.add(magic(m, strings));
        }
        return "((" + String.join(" or ", exe) + ") and $__fact_go)";
      }
    }
  }

  private static String escapeSlashes(String regex) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        sb.append(c).append(regex.charAt(++i));
      } else if (c == '/') {
        sb.append("\\/");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A YARA text string literal: bytes of the UTF-8 encoding, escaped. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        sb.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02X", c));
      }
    }
    return sb.append('"').toString();
  }
}
