package dev.palisade.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.detect.Severity;
import dev.palisade.scanner.match.HexPattern;
import dev.palisade.scanner.match.RegexLiterals;
import dev.palisade.scanner.match.WalletKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads and validates one rule file ({@code format: palisade-rules/1}); see policies/README.md. */
final class RuleFileParser {

  static final String FORMAT = "palisade-rules/1";
  static final int DEFAULT_REGEX_MAX_LENGTH = 256;
  static final int MIN_ANCHOR_LENGTH = 3;

  private static final Pattern STRING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> RULE_KEYS = Set.of(
      "id", "title", "severity", "category", "description", "falsePositiveGuards", "scope", "gate", "strings", "condition");
  private static final Set<String> GATE_KEYS = Set.of("magic", "minSize", "maxSize", "paths", "mode");
  private static final Set<String> STRING_KEYS = Set.of("text", "hex", "regex", "wallet", "modifiers", "anchors", "maxLength");

  private RuleFileParser() {}

  static List<Rule> parse(String file, LocatedYaml doc) throws RuleValidationException {
    Fields f = new Fields(file, doc);
    JsonNode root = doc.root;
    if (!root.isObject()) {
      throw f.error(null, "a rule file is a mapping with 'format' and 'rules'");
    }
    f.onlyKeys(root, "", Set.of("format", "rules"));
    String format = f.text(root, "format", "format", true);
    if (!FORMAT.equals(format)) {
      throw f.error("format", "expected '" + FORMAT + "', found '" + format + "'");
    }
    JsonNode rules = root.get("rules");
    if (rules == null || !rules.isArray() || rules.isEmpty()) {
      throw f.error("rules", "must be a non-empty list of rules");
    }
    List<Rule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      f.ruleId = null;
      f.base = "rules[" + i + "]";
      out.add(rule(f, rules.get(i)));
    }
    return out;
  }

  private static Rule rule(Fields f, JsonNode n) throws RuleValidationException {
    if (!n.isObject()) {
      throw f.error(null, "a rule is a mapping");
    }
    String id = f.text(n, "id", "id", true);
    if (!Rule.ID.matcher(id).matches()) {
      throw f.error("id", "'" + id + "' must match " + Rule.ID.pattern());
    }
    f.ruleId = id;
    f.onlyKeys(n, "", RULE_KEYS);
    String title = f.text(n, "title", "title", true);
    String sev = f.text(n, "severity", "severity", true);
    Severity severity = Severity.parse(sev);
    if (severity == null) {
      throw f.error("severity", "'" + sev + "' is not one of INFO, LOW, MEDIUM, HIGH, CRITICAL");
    }
    String category = f.text(n, "category", "category", true);
    String description = f.text(n, "description", "description", true);
    List<String> guards = f.texts(n, "falsePositiveGuards", "falsePositiveGuards", true);
    Set<Scope> scope = scope(f, n);
    Gate gate = gate(f, n);
    if (scope.contains(Scope.FILES) && scope.size() == 1 && gate.maxSize() == Gate.UNLIMITED && !gate.hasTypeTest()) {
      throw f.error("gate", "a file rule needs a type test (magic or paths.include) or a maxSize; without one every byte of every image is its business");
    }
    List<StringDef> strings = strings(f, n);
    Condition condition = condition(f, n.get("condition"), "condition", strings, true);
    Set<String> used = new HashSet<>();
    collectNames(condition, used);
    for (StringDef s : strings) {
      if (!used.contains(s.name())) {
        throw f.error("strings." + s.name(), "is not used by the condition");
      }
    }
    String source = f.file + ":" + f.doc.line(f.base);
    try {
      return new Rule(id, title, severity, category, description, guards, scope, gate, strings, condition, source);
    } catch (IllegalArgumentException e) {
      throw f.error(null, e.getMessage());
    }
  }

  private static Set<Scope> scope(Fields f, JsonNode n) throws RuleValidationException {
    List<String> names = f.texts(n, "scope", "scope", false);
    if (names.isEmpty()) {
      return EnumSet.of(Scope.FILES);
    }
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < names.size(); i++) {
      switch (Fields.lower(names.get(i))) {
        case "files" -> out.add(Scope.FILES);
        case "config" -> out.add(Scope.CONFIG);
        default -> throw f.error("scope[" + i + "]", "'" + names.get(i) + "' is not one of files, config");
      }
    }
    return out;
  }

  private static Gate gate(Fields f, JsonNode rule) throws RuleValidationException {
    JsonNode g = f.object(rule, "gate", "gate", false);
    if (g == null) {
      return Gate.none();
    }
    f.onlyKeys(g, "gate", GATE_KEYS);
    List<Magic> magic = new ArrayList<>();
    JsonNode m = g.get("magic");
    if (m != null && !m.isNull()) {
      List<JsonNode> items = new ArrayList<>();
      if (m.isArray()) {
        m.forEach(items::add);
      } else {
        items.add(m);
      }
      for (int i = 0; i < items.size(); i++) {
        magic.addAll(magic(f, items.get(i), "gate.magic[" + i + "]"));
      }
    }
    long min = f.size(g, "minSize", "gate.minSize");
    long max = f.size(g, "maxSize", "gate.maxSize");
    min = Math.max(min, 0);
    max = max < 0 ? Gate.UNLIMITED : max;
    if (max < min) {
      throw f.error("gate.maxSize", "is smaller than minSize");
    }
    List<PathGlob> include = new ArrayList<>();
    List<PathGlob> exclude = new ArrayList<>();
    JsonNode paths = f.object(g, "paths", "gate.paths", false);
    if (paths != null) {
      f.onlyKeys(paths, "gate.paths", Set.of("include", "exclude"));
      for (String s : f.texts(paths, "include", "gate.paths.include", false)) {
        include.add(PathGlob.of(s));
      }
      for (String s : f.texts(paths, "exclude", "gate.paths.exclude", false)) {
        exclude.add(PathGlob.of(s));
      }
    }
    int modeAny = 0;
    for (String bit : f.texts(g, "mode", "gate.mode", false)) {
      modeAny |= switch (bit) {
        case "setuid" -> Gate.SETUID;
        case "setgid" -> Gate.SETGID;
        case "exec" -> Gate.EXEC;
        default -> throw f.error("gate.mode", "'" + bit + "' is not one of setuid, setgid, exec");
      };
    }
    return new Gate(magic, min, max, include, exclude, modeAny);
  }

  private static List<Magic> magic(Fields f, JsonNode item, String field) throws RuleValidationException {
    if (item.isTextual()) {
      List<Magic> named = Magic.named(item.asText());
      if (named == null) {
        throw f.error(field, "'" + item.asText() + "' is not a known magic (" + String.join(", ", Magic.NAMES) + ") ; use {offset, hex} for others");
      }
      return named;
    }
    if (!item.isObject()) {
      throw f.error(field, "must be a magic name or {offset, hex}");
    }
    f.onlyKeys(item, field, Set.of("offset", "hex"));
    int offset = f.integer(item, "offset", field + ".offset", 0);
    String hex = f.text(item, "hex", field + ".hex", true).replaceAll("\\s+", "");
    try {
      byte[] bytes = java.util.HexFormat.of().parseHex(hex);
      return List.of(new Magic("hex@" + offset, Magic.Kind.BYTES, offset, bytes));
    } catch (IllegalArgumentException e) {
      throw f.error(field, "bad magic: " + e.getMessage());
    }
  }

  private static List<StringDef> strings(Fields f, JsonNode rule) throws RuleValidationException {
    JsonNode s = rule.get("strings");
    List<StringDef> out = new ArrayList<>();
    if (s == null || s.isNull()) {
      return out;
    }
    if (!s.isObject()) {
      throw f.error("strings", "must be a mapping from string name to its definition");
    }
    Iterator<Map.Entry<String, JsonNode>> it = s.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = "strings." + e.getKey();
      if (!STRING_NAME.matcher(e.getKey()).matches()) {
        throw f.error(field, "a string name must match " + STRING_NAME.pattern());
      }
      if (e.getKey().equals("them")) {
        throw f.error(field, "'them' is reserved");
      }
      out.add(stringDef(f, e.getKey(), e.getValue(), field));
    }
    return out;
  }

  private static StringDef stringDef(Fields f, String name, JsonNode n, String field) throws RuleValidationException {
    if (!n.isObject()) {
      throw f.error(field, "must be a mapping with one of text, hex, regex, wallet");
    }
    f.onlyKeys(n, field, STRING_KEYS);
    int kinds = (n.has("text") ? 1 : 0) + (n.has("hex") ? 1 : 0) + (n.has("regex") ? 1 : 0) + (n.has("wallet") ? 1 : 0);
    if (kinds != 1) {
      throw f.error(field, "needs exactly one of text, hex, regex, wallet");
    }
    Set<Modifier> mods = modifiers(f, n, field + ".modifiers");
    if (n.has("text")) {
      noKeys(f, n, field, "anchors", "maxLength");
      if (!n.get("text").isTextual()) {
        throw f.error(field + ".text", "must be a string (quote numbers)");
      }
      String text = f.text(n, "text", field + ".text", true);
      boolean b64 = mods.contains(Modifier.BASE64) || mods.contains(Modifier.BASE64WIDE);
      if (b64 && (mods.contains(Modifier.NOCASE) || mods.contains(Modifier.FULLWORD) || mods.contains(Modifier.ASCII) || mods.contains(Modifier.WIDE))) {
        throw f.error(field + ".modifiers", "base64/base64wide cannot be combined with ascii, wide, nocase or fullword (as in YARA); use a second string");
      }
      if (b64 && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 3) {
        throw f.error(field + ".text", "base64 needs at least 3 bytes of text");
      }
      return new StringDef.Text(name, text, mods);
    }
    if (n.has("hex")) {
      noKeys(f, n, field, "anchors", "maxLength");
      if (!mods.isEmpty()) {
        throw f.error(field + ".modifiers", "hex strings take no modifiers");
      }
      try {
        return new StringDef.Hex(name, HexPattern.parse(f.text(n, "hex", field + ".hex", true)));
      } catch (IllegalArgumentException e) {
        throw f.error(field + ".hex", e.getMessage());
      }
    }
    if (n.has("wallet")) {
      noKeys(f, n, field, "anchors", "maxLength");
      if (!mods.isEmpty()) {
        throw f.error(field + ".modifiers", "wallet strings take no modifiers");
      }
      String kind = f.text(n, "wallet", field + ".wallet", true);
      WalletKind k = WalletKind.fromRuleName(kind);
      if (k == null) {
        throw f.error(field + ".wallet", "'" + kind + "' is not one of monero, wownero, bitcoin");
      }
      return new StringDef.Wallet(name, k);
    }
    return regex(f, name, n, field, mods);
  }

  private static StringDef regex(Fields f, String name, JsonNode n, String field, Set<Modifier> mods) throws RuleValidationException {
    for (Modifier m : mods) {
      if (m != Modifier.NOCASE && m != Modifier.FULLWORD) {
        throw f.error(field + ".modifiers", "a regex takes only nocase and fullword");
      }
    }
    String regex = f.text(n, "regex", field + ".regex", true);
    if (regex.contains("(?")) {
      throw f.error(field + ".regex", "(?...) constructs are not supported (YARA has none); use plain groups and the nocase modifier");
    }
    if (RegexLiterals.hasLineAnchors(regex)) {
      throw f.error(field + ".regex", "^ and $ are not supported: a regex runs in a window, not on lines; escape them as \\^ \\$");
    }
    boolean nocase = mods.contains(Modifier.NOCASE);
    Pattern compiled;
    try {
      compiled = Pattern.compile(regex, Pattern.UNIX_LINES | (nocase ? Pattern.CASE_INSENSITIVE : 0));
    } catch (PatternSyntaxException e) {
      throw f.error(field + ".regex", "not a valid regex: " + e.getDescription() + " near index " + e.getIndex());
    }
    List<String> anchors = f.texts(n, "anchors", field + ".anchors", false);
    for (int i = 0; i < anchors.size(); i++) {
      if (anchors.get(i).length() < MIN_ANCHOR_LENGTH) {
        throw f.error(field + ".anchors[" + i + "]", "an anchor needs at least " + MIN_ANCHOR_LENGTH + " characters");
      }
    }
    if (anchors.isEmpty()) {
      String required = RegexLiterals.longestRequired(regex);
      if (required.length() < MIN_ANCHOR_LENGTH) {
        throw f.error(field + ".regex", "no required literal of " + MIN_ANCHOR_LENGTH
            + "+ characters found; give 'anchors': literals one of which every match contains");
      }
      anchors = List.of(required);
    }
    int maxLength = f.integer(n, "maxLength", field + ".maxLength", DEFAULT_REGEX_MAX_LENGTH);
    if (maxLength < 1 || maxLength > StringDef.Regex.MAX_WINDOW) {
      throw f.error(field + ".maxLength", "must be within 1.." + StringDef.Regex.MAX_WINDOW);
    }
    return new StringDef.Regex(name, regex, compiled, anchors, nocase, mods.contains(Modifier.FULLWORD), maxLength,
        anchorsStartEveryMatch(regex, anchors, nocase));
  }

  /** Every match starts with a leading literal, and each leading literal starts with an anchor. */
  static boolean anchorsStartEveryMatch(String regex, List<String> anchors, boolean nocase) {
    List<String> leading = RegexLiterals.leadingLiterals(regex);
    if (leading.isEmpty()) {
      return false;
    }
    for (String lead : leading) {
      boolean covered = false;
      for (String a : anchors) {
        covered |= lead.regionMatches(nocase, 0, a, 0, a.length()) && lead.length() >= a.length();
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  private static void noKeys(Fields f, JsonNode n, String field, String... keys) throws RuleValidationException {
    for (String k : keys) {
      if (n.has(k)) {
        throw f.error(field + "." + k, "only regex strings take '" + k + "'");
      }
    }
  }

  private static Set<Modifier> modifiers(Fields f, JsonNode n, String field) throws RuleValidationException {
    Set<Modifier> out = EnumSet.noneOf(Modifier.class);
    List<String> names = f.texts(n, "modifiers", field, false);
    for (int i = 0; i < names.size(); i++) {
      try {
        out.add(Modifier.valueOf(names.get(i).trim().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw f.error(field + "[" + i + "]", "'" + names.get(i) + "' is not one of ascii, wide, nocase, fullword, base64, base64wide");
      }
    }
    return out;
  }

  // ---- conditions ----

  private static Condition condition(Fields f, JsonNode n, String field, List<StringDef> strings, boolean top)
      throws RuleValidationException {
    if (n == null || n.isNull()) {
      throw f.error(field, "is required");
    }
    if (n.isTextual()) {
      List<Condition> items = refs(f, n.asText(), field, strings);
      return items.size() == 1 && !n.asText().endsWith("*") && !n.asText().equals("them") ? items.get(0) : new Condition.Any(items);
    }
    if (!n.isObject() || n.size() == 0) {
      throw f.error(field, "must be a string name, 'name*', 'them', or one of {any}, {all}, {atLeast, of}, {fact}");
    }
    if (n.has("fact")) {
      f.onlyKeys(n, field, Set.of("fact"));
      String name = f.text(n, "fact", field + ".fact", true);
      Fact fact = Fact.fromRuleName(name);
      if (fact == null) {
        throw f.error(field + ".fact", "'" + name + "' is not one of elf, pe, macho, elf.upx, go.buildinfo, file");
      }
      return new Condition.FactIs(fact);
    }
    if (n.has("atLeast")) {
      f.onlyKeys(n, field, Set.of("atLeast", "of"));
      int count = f.integer(n, "atLeast", field + ".atLeast", 0);
      List<Condition> items = items(f, n.get("of"), field + ".of", strings);
      if (count < 1 || count > items.size()) {
        throw f.error(field + ".atLeast", "must be within 1.." + items.size() + " (the number of items in 'of')");
      }
      return new Condition.AtLeast(count, items);
    }
    if (n.has("any")) {
      f.onlyKeys(n, field, Set.of("any"));
      return new Condition.Any(items(f, n.get("any"), field + ".any", strings));
    }
    if (n.has("all")) {
      f.onlyKeys(n, field, Set.of("all"));
      return new Condition.All(items(f, n.get("all"), field + ".all", strings));
    }
    throw f.error(field, "unknown condition; use any, all, atLeast+of, fact, or a string name");
  }

  private static List<Condition> items(Fields f, JsonNode n, String field, List<StringDef> strings) throws RuleValidationException {
    if (n == null || n.isNull()) {
      throw f.error(field, "is required");
    }
    List<Condition> out = new ArrayList<>();
    if (n.isTextual()) {
      out.addAll(refs(f, n.asText(), field, strings));
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        JsonNode e = n.get(i);
        if (e.isTextual()) {
          out.addAll(refs(f, e.asText(), field + "[" + i + "]", strings));
        } else {
          out.add(condition(f, e, field + "[" + i + "]", strings, false));
        }
      }
    } else {
      throw f.error(field, "must be a list");
    }
    if (out.isEmpty()) {
      throw f.error(field, "must not be empty");
    }
    return out;
  }

  /** Resolves {@code name}, {@code prefix*} or {@code them} to string references. */
  private static List<Condition> refs(Fields f, String ref, String field, List<StringDef> strings) throws RuleValidationException {
    Set<String> names = new LinkedHashSet<>();
    if (ref.equals("them")) {
      strings.forEach(s -> names.add(s.name()));
    } else if (ref.endsWith("*")) {
      String prefix = ref.substring(0, ref.length() - 1);
      strings.stream().filter(s -> s.name().startsWith(prefix)).forEach(s -> names.add(s.name()));
    } else if (strings.stream().anyMatch(s -> s.name().equals(ref))) {
      names.add(ref);
    }
    if (names.isEmpty()) {
      throw f.error(field, "'" + ref + "' names no string of this rule");
    }
    List<Condition> out = new ArrayList<>();
    names.forEach(x -> out.add(new Condition.Str(x)));
    return out;
  }

  static void collectNames(Condition c, Set<String> into) {
    if (c instanceof Condition.Str s) {
      into.add(s.name());
    } else if (c instanceof Condition.Any a) {
      a.of().forEach(x -> collectNames(x, into));
    } else if (c instanceof Condition.All a) {
      a.of().forEach(x -> collectNames(x, into));
    } else if (c instanceof Condition.AtLeast a) {
      a.of().forEach(x -> collectNames(x, into));
    }
  }
}
