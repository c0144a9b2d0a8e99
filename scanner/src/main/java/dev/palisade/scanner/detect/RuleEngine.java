package dev.palisade.scanner.detect;

import dev.palisade.scanner.match.AhoCorasick;
import dev.palisade.scanner.match.WalletKind;
import dev.palisade.scanner.rules.Fact;
import dev.palisade.scanner.rules.KnownBadHash;
import dev.palisade.scanner.rules.Modifier;
import dev.palisade.scanner.rules.Rule;
import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetException;
import dev.palisade.scanner.rules.RuleSetLoader;
import dev.palisade.scanner.rules.Scope;
import dev.palisade.scanner.rules.StringDef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Detector}: a rule set compiled into one Aho-Corasick automaton over every literal of
 * every rule, plus per-rule gates and conditions. Immutable and thread-safe; each
 * {@link #open(FileContext)} returns a session with its own bounded state.
 *
 * <p>Typical use: {@code Detector d = RuleEngine.loadDefault();} once per scan, then per file
 * {@code MatchSession s = d.open(ctx)}, feed {@code s.update(...)} while {@code s.wantsMore()},
 * then {@code s.finish()}.
 */
public final class RuleEngine implements Detector {

  /** Rule id of detections from the known-bad hash list. */
  public static final String KNOWN_BAD_RULE_ID = "hash.known-bad";
  /** Files larger than this are not hashed for entries that give no size. */
  public static final long HASH_MAX_SIZE = 64L << 20;

  static final byte[] UPX_MARKER = "UPX!".getBytes(StandardCharsets.ISO_8859_1);
  /** UPX's first section name as stored in a section-name table (packers that keep section headers). */
  static final byte[] UPX_SECTION = "\0UPX0\0".getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] GO_BUILDINFO_MARKER = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);

  final RuleSet ruleSet;
  final RuleSetInfo info;
  final Rule[] rules;
  final ConditionNode[] conditions;
  /** Global string index to owning rule index; -1 for the built-in fact strings. */
  final int[] stringOwner;
  final StringDef[] strings;
  final int[][] stringsOfRule;
  final boolean[] ruleUsesFacts;
  final boolean[] ruleHasAtoms;
  final List<Set<WalletKind>> walletKindsOfRule;
  final Map<WalletKind, int[]> walletStrings;
  final int upxString;
  final int goString;
  final Atom[] atoms;
  final AhoCorasick automaton;
  final Map<String, KnownBadHash> knownBad;
  final Set<Long> knownBadSizes;
  final boolean knownBadWithoutSize;
  /** Whether base64/hex runs in text are decoded and rescanned (see {@link EncodedBlobs}). */
  final boolean decodeEncoded;
  final PathGates pathGates;

  private RuleEngine(RuleSet set, boolean decodeEncoded) {
    this.decodeEncoded = decodeEncoded;
    this.ruleSet = set;
    this.info = set.info();
    this.rules = set.rules().toArray(new Rule[0]);
    this.conditions = new ConditionNode[rules.length];
    this.stringsOfRule = new int[rules.length][];
    this.ruleUsesFacts = new boolean[rules.length];
    this.ruleHasAtoms = new boolean[rules.length];
    this.walletKindsOfRule = new ArrayList<>();
    this.pathGates = new PathGates(rules);
    List<StringDef> allStrings = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    List<Atom> atomList = new ArrayList<>();
    Map<WalletKind, List<Integer>> wallets = new HashMap<>();
    for (int r = 0; r < rules.length; r++) {
      Map<String, Integer> byName = new HashMap<>();
      int[] mine = new int[rules[r].strings().size()];
      Set<WalletKind> kinds = EnumSet.noneOf(WalletKind.class);
      walletKindsOfRule.add(kinds);
      for (int i = 0; i < mine.length; i++) {
        StringDef s = rules[r].strings().get(i);
        int gi = allStrings.size();
        allStrings.add(s);
        owners.add(r);
        byName.put(s.name(), gi);
        mine[i] = gi;
        if (s instanceof StringDef.Wallet w) {
          wallets.computeIfAbsent(w.kind(), k -> new ArrayList<>()).add(gi);
          kinds.add(w.kind());
        } else {
          atomList.addAll(atomsOf(gi, s));
          ruleHasAtoms[r] = true;
        }
      }
      stringsOfRule[r] = mine;
      conditions[r] = ConditionNode.compile(rules[r].condition(), byName);
      ruleUsesFacts[r] = usesFacts(rules[r].condition());
    }
    upxString = allStrings.size();
    allStrings.add(null);
    owners.add(-1);
    atomList.add(new Atom(upxString, UPX_MARKER, true, 0, null, null));
    atomList.add(new Atom(upxString, UPX_SECTION, true, 0, null, null));
    goString = allStrings.size();
    allStrings.add(null);
    owners.add(-1);
    atomList.add(new Atom(goString, GO_BUILDINFO_MARKER, true, 0, null, null));

    this.strings = allStrings.toArray(new StringDef[0]);
    this.stringOwner = owners.stream().mapToInt(Integer::intValue).toArray();
    this.atoms = atomList.toArray(new Atom[0]);
    List<byte[]> patterns = new ArrayList<>();
    for (Atom a : atoms) {
      patterns.add(a.bytes());
    }
    this.automaton = AhoCorasick.build(patterns);
    this.walletStrings = new HashMap<>();
    wallets.forEach((k, v) -> walletStrings.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    this.knownBad = new HashMap<>();
    Set<Long> sizes = new HashSet<>();
    boolean withoutSize = false;
    for (KnownBadHash h : set.knownBad()) {
      knownBad.put(h.sha256(), h);
      if (h.size() >= 0) {
        sizes.add(h.size());
      } else {
        withoutSize = true;
      }
    }
    this.knownBadSizes = Set.copyOf(sizes);
    this.knownBadWithoutSize = withoutSize;
  }

  /** Compiles a loaded rule set. */
  public static RuleEngine compile(RuleSet set) {
    return new RuleEngine(set, true);
  }

  /**
   * Compiles without decoding base64/hex runs: matches only what is literally in the bytes, as
   * YARA does, for cross-checks and like-for-like benchmarks.
   */
  public static RuleEngine compileLiteralOnly(RuleSet set) {
    return new RuleEngine(set, false);
  }

  /** Loads and compiles the rule set shipped with the scanner. */
  public static RuleEngine loadDefault() throws RuleSetException {
    return compile(RuleSetLoader.loadDefault());
  }

  /** Loads and compiles a rule set from a directory or file ({@code --rules}). */
  public static RuleEngine load(Path dirOrFile) throws RuleSetException {
    return compile(RuleSetLoader.load(dirOrFile));
  }

  public RuleSet ruleSet() {
    return ruleSet;
  }

  /** Number of literals in the automaton and its table size, for {@code rules list} style output. */
  public String automatonSummary() {
    return atoms.length + " literals, " + automaton.stateCount() + " states, " + (automaton.tableBytes() >> 10) + " KiB";
  }

  @Override
  public RuleSetInfo info() {
    return info;
  }

  @Override
  public MatchSession open(FileContext file) {
    return new EngineSession(this, file);
  }

  @Override
  public List<Detection> scanText(TextContext text) {
    byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
    EngineSession s = new EngineSession(this, bytes);
    s.update(bytes, 0, bytes.length);
    return s.finish();
  }

  boolean ruleInScope(int r, Scope scope) {
    return rules[r].scope().contains(scope);
  }

  private static boolean usesFacts(dev.palisade.scanner.rules.Condition c) {
    if (c instanceof dev.palisade.scanner.rules.Condition.FactIs f) {
      return f.fact() == Fact.ELF_UPX || f.fact() == Fact.GO_BUILDINFO;
    }
    List<dev.palisade.scanner.rules.Condition> items =
        c instanceof dev.palisade.scanner.rules.Condition.Any a ? a.of()
            : c instanceof dev.palisade.scanner.rules.Condition.All a ? a.of()
            : c instanceof dev.palisade.scanner.rules.Condition.AtLeast a ? a.of() : List.of();
    for (dev.palisade.scanner.rules.Condition x : items) {
      if (usesFacts(x)) {
        return true;
      }
    }
    return false;
  }

  /** The literals a string contributes: its encodings (ascii, wide, base64 at three offsets), its hex atom, its regex anchors. */
  static List<Atom> atomsOf(int gi, StringDef s) {
    List<Atom> out = new ArrayList<>();
    if (s instanceof StringDef.Text t) {
      byte[] utf8 = t.text().getBytes(StandardCharsets.UTF_8);
      boolean cs = !t.has(Modifier.NOCASE);
      if (t.has(Modifier.BASE64) || t.has(Modifier.BASE64WIDE)) {
        for (byte[] v : base64Variants(utf8)) {
          if (t.has(Modifier.BASE64)) {
            out.add(new Atom(gi, v, true, 0, null, null));
          }
          if (t.has(Modifier.BASE64WIDE)) {
            out.add(new Atom(gi, wide(v), true, 0, null, null));
          }
        }
        return out;
      }
      boolean fullword = t.has(Modifier.FULLWORD);
      if (t.has(Modifier.ASCII) || !t.has(Modifier.WIDE)) {
        out.add(new Atom(gi, utf8, cs, fullword ? 1 : 0, null, null));
      }
      if (t.has(Modifier.WIDE)) {
        out.add(new Atom(gi, wide(utf8), cs, fullword ? 2 : 0, null, null));
      }
    } else if (s instanceof StringDef.Hex h) {
      out.add(new Atom(gi, h.pattern().atom(), true, 0, h.pattern().isPlain() ? null : h.pattern(), null));
    } else if (s instanceof StringDef.Regex re) {
      for (String anchor : re.anchors()) {
        out.add(new Atom(gi, anchor.getBytes(StandardCharsets.UTF_8), !re.nocase(), 0, null, re));
      }
    }
    return out;
  }

  /** YARA's wide: every byte followed by a zero byte. */
  static byte[] wide(byte[] b) {
    byte[] w = new byte[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      w[2 * i] = b[i];
    }
    return w;
  }

  /**
   * The three base64 encodings of {@code data} as it may sit at offset 0, 1 or 2 of a 3-byte group,
   * with the characters that depend on neighbouring bytes cut off (as YARA does).
   */
  static List<byte[]> base64Variants(byte[] data) {
    List<byte[]> out = new ArrayList<>();
    int[] cutLeading = {0, 2, 3};
    for (int k = 0; k < 3; k++) {
      byte[] shifted = new byte[k + data.length];
      System.arraycopy(data, 0, shifted, k, data.length);
      String enc = Base64.getEncoder().encodeToString(shifted);
      int rem = shifted.length % 3;
      int cutTrailing = rem == 1 ? 3 : rem == 2 ? 2 : 0;
      String core = enc.substring(cutLeading[k], enc.length() - cutTrailing);
      if (!core.isEmpty()) {
        out.add(core.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out;
  }
}
