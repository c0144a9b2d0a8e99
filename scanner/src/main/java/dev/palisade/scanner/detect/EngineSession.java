package dev.palisade.scanner.detect;

import dev.palisade.scanner.match.ByteHistory;
import dev.palisade.scanner.match.WalletKind;
import dev.palisade.scanner.match.WalletScanner;
import dev.palisade.scanner.rules.Fact;
import dev.palisade.scanner.rules.Gate;
import dev.palisade.scanner.rules.KnownBadHash;
import dev.palisade.scanner.rules.Magic;
import dev.palisade.scanner.rules.Rule;
import dev.palisade.scanner.rules.Scope;
import dev.palisade.scanner.rules.StringDef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Matching state for one file (or one config value). Memory: a 256 KiB history ring, the first
 * {@value Magic#TEXT_PROBE} bytes, pending candidates of at most one slice, and per-string flags.
 */
final class EngineSession implements MatchSession, ConditionNode.State {

  private static final int HISTORY = 1 << 18;
  /**
   * Slices end at absolute multiples of this size, whatever chunks the caller passes. Pending
   * candidates are decided and rule conditions evaluated only at slice ends (and at the end of the
   * data), so verdicts, offsets and evidence never depend on how the caller chunked the bytes. The
   * ring keeps every pending candidate's bytes: 2 slices + lookbehind + lookahead < HISTORY.
   */
  private static final int SLICE = 1 << 16;
  private static final int EVIDENCE_BYTES = 96;
  private static final int INITIAL_HISTORY = 1 << 12;
  private static final Magic ELF = Magic.named("elf").get(0);
  private static final Magic PE = Magic.named("pe").get(0);
  private static final List<Magic> MACHO = Magic.named("macho");
  private static final Magic TEXT = Magic.named("text").get(0);
  /** Decoded payloads are rescanned, and what they decode to once more (base64 in base64), no deeper. */
  static final int MAX_DECODE_DEPTH = 2;
  /** Text files larger than this are not searched for encoded runs (bundles, data dumps). */
  static final long MAX_DECODE_FILE = 16L << 20;
  /** Bytes of a decoded run looked at before deciding it is worth a rescan. */
  private static final int DECODED_PROBE = 64;

  /** A hit that needs bytes after it before it can be decided. */
  private record Pending(Atom atom, long start, long end, long decideAt) {}

  private final RuleEngine engine;
  private final String path;
  private final long declaredSize;
  private final int mode;
  private final boolean configText;
  private final int depth;
  private final EncodedBlobs.Budget budget;
  private final PathGates.Memo globs;
  private EncodedBlobs decoder;
  private final List<Detection> hidden = new ArrayList<>();

  private final byte[] head = new byte[Magic.TEXT_PROBE];
  private int headLength;
  private boolean decided;

  private final boolean[] admitted;
  private final boolean[] live;
  private final boolean[] satisfied;
  private final boolean[] dirty;
  private boolean factsDirty;
  private int liveCount;
  private final boolean[] wanted;
  private final boolean[] matched;
  private final long[] firstOffset;
  private final String[] evidence;
  private boolean elf;
  private boolean pe;
  private boolean macho;
  private boolean factsNeeded;
  private boolean automatonNeeded;

  private ByteHistory history;
  private int state;
  private WalletScanner wallets;
  private final ArrayList<Pending> pending = new ArrayList<>();
  private final ArrayList<Pending> readyRegex = new ArrayList<>();
  private MessageDigest sha256;
  private long consumed;
  private boolean finished;

  /** A file session. */
  EngineSession(RuleEngine engine, FileContext file) {
    this(engine, file.path(), file.size(), file.mode(), false, 0, new EncodedBlobs.Budget());
  }

  /** A config-text session: CONFIG-scope rules, no gates, no hashing. */
  EngineSession(RuleEngine engine, byte[] text) {
    this(engine, "", text.length, 0, true, 0, new EncodedBlobs.Budget());
  }

  private EngineSession(RuleEngine engine, String path, long size, int mode, boolean configText, int depth,
      EncodedBlobs.Budget budget) {
    this.engine = engine;
    this.depth = depth;
    this.budget = budget;
    this.path = path;
    this.declaredSize = size;
    this.mode = mode;
    this.configText = configText;
    int rules = engine.rules.length;
    admitted = new boolean[rules];
    live = new boolean[rules];
    satisfied = new boolean[rules];
    dirty = new boolean[rules];
    wanted = new boolean[engine.strings.length];
    matched = new boolean[engine.strings.length];
    firstOffset = new long[engine.strings.length];
    evidence = new String[engine.strings.length];
    globs = engine.pathGates.memo(path);
    int n = 0;
    for (int r = 0; r < rules; r++) {
      Rule rule = engine.rules[r];
      admitted[r] = configText
          ? rule.scope().contains(Scope.CONFIG)
          : rule.scope().contains(Scope.FILES) && rule.gate().admitsMode(mode) && globs.admitsHeader(r, rule.gate(), size);
      n += admitted[r] ? 1 : 0;
    }
    boolean maybeHash = !configText && hashPossibleBySize(size);
    boolean maybeDecode = engine.decodeEncoded && depth < MAX_DECODE_DEPTH && size <= MAX_DECODE_FILE;
    if (n == 0 && !maybeHash && !maybeDecode) {
      decided = true; // nothing can match: wantsMore() is false before the first byte
    }
  }

  private boolean hashPossibleBySize(long size) {
    return engine.knownBadSizes.contains(size) || (engine.knownBadWithoutSize && size <= RuleEngine.HASH_MAX_SIZE);
  }

  @Override
  public void update(byte[] buffer, int offset, int length) {
    if (finished) {
      throw new IllegalStateException("update after finish");
    }
    if (length <= 0) {
      return;
    }
    if (!decided) {
      int take = Math.min(length, head.length - headLength);
      System.arraycopy(buffer, offset, head, headLength, take);
      headLength += take;
      offset += take;
      length -= take;
      if (headLength < head.length && headLength < declaredSize) {
        return;
      }
      decide();
      process(head, 0, headLength);
    }
    if (length > 0) {
      process(buffer, offset, length);
    }
  }

  @Override
  public boolean wantsMore() {
    if (finished || (decided && !configText && consumed >= declaredSize)) {
      return false; // every declared byte is in: nothing left to want, finish() decides
    }
    return !decided || sha256 != null || liveCount > 0 || decoder != null;
  }

  private void decide() {
    decided = true;
    elf = ELF.test(head, headLength);
    pe = PE.test(head, headLength);
    for (Magic m : MACHO) {
      macho |= m.test(head, headLength);
    }
    EnumSet<WalletKind> walletKinds = EnumSet.noneOf(WalletKind.class);
    for (int r = 0; r < engine.rules.length; r++) {
      if (!admitted[r] || !(configText || typeTest(r, engine.rules[r].gate()))) {
        continue;
      }
      live[r] = true;
      liveCount++;
      for (int gi : engine.stringsOfRule[r]) {
        wanted[gi] = true;
      }
      walletKinds.addAll(engine.walletKindsOfRule.get(r));
      factsNeeded |= engine.ruleUsesFacts[r];
      automatonNeeded |= engine.ruleHasAtoms[r];
    }
    if (factsNeeded && (elf || pe || macho)) {
      wanted[engine.upxString] = elf;
      wanted[engine.goString] = true;
      automatonNeeded = true;
    }
    if (!walletKinds.isEmpty()) {
      wallets = new WalletScanner(walletKinds);
    }
    if (liveCount > 0) {
      history = new ByteHistory(INITIAL_HISTORY, HISTORY);
      state = engine.automaton.initialState();
    }
    if (engine.decodeEncoded && depth < MAX_DECODE_DEPTH && declaredSize <= MAX_DECODE_FILE && TEXT.test(head, headLength)
        && !budget.exhausted()) {
      decoder = new EncodedBlobs(budget, new Rescan());
    }
    if (!configText && shouldHash()) {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
    // Rules decided by facts alone (e.g. "fact: elf") are satisfied before any content.
    for (int r = 0; r < engine.rules.length; r++) {
      if (live[r]) {
        evaluate(r);
      }
    }
  }

  private boolean typeTest(int r, Gate g) {
    if (!g.hasTypeTest()) {
      return true;
    }
    for (Magic m : g.magic()) {
      if (m.test(head, headLength)) {
        return true;
      }
    }
    return globs.includesPath(r);
  }

  /**
   * Hash gate: an entry with a size matches only files of that size; entries without one are
   * checked against executables (ELF, PE, Mach-O, shebang, or any x bit) up to 64 MiB.
   */
  private boolean shouldHash() {
    if (engine.knownBad.isEmpty()) {
      return false;
    }
    if (engine.knownBadSizes.contains(declaredSize)) {
      return true;
    }
    boolean executable = elf || pe || macho || (headLength >= 2 && head[0] == '#' && head[1] == '!') || (mode & 0111) != 0;
    return engine.knownBadWithoutSize && executable && declaredSize <= RuleEngine.HASH_MAX_SIZE;
  }

  private void process(byte[] buf, int off, int len) {
    if (sha256 != null) {
      sha256.update(buf, off, len);
    }
    if (decoder != null) {
      decoder.feed(buf, off, off + len, consumed);
    }
    if (liveCount == 0) {
      consumed += len;
      return;
    }
    while (len > 0) {
      long base = history.end();
      int n = (int) Math.min(len, SLICE - (base & (SLICE - 1)));
      history.append(buf, off, n);
      if (wallets != null) {
        wallets.feed(buf, off, off + n, base, this::onWallet);
      }
      if (automatonNeeded) {
        state = engine.automaton.scan(state, buf, off, off + n, base, this::onHit);
      }
      if ((history.end() & (SLICE - 1)) == 0) {
        resolvePending(false);
        evaluateDirty();
      }
      off += n;
      len -= n;
      consumed += n;
      if (liveCount == 0) {
        consumed += len;
        return;
      }
    }
  }

  private void onHit(int patternId, long end) {
    Atom a = engine.atoms[patternId];
    int gi = a.stringIndex();
    if (!wanted[gi]) {
      return;
    }
    byte[] bytes = a.bytes();
    long start = end - bytes.length;
    if (a.caseSensitive()) {
      for (int i = 0; i < bytes.length; i++) {
        if (history.at(start + i) != (bytes[i] & 0xff)) {
          return;
        }
      }
    }
    if (a.lookahead() == 0) {
      decide(a, start, end);
    } else {
      pending.add(new Pending(a, start, end, end + a.lookahead()));
    }
  }

  private void resolvePending(boolean atEnd) {
    if (pending.isEmpty()) {
      return;
    }
    long available = history.end();
    int kept = 0;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      if (atEnd || p.decideAt() <= available) {
        if (p.atom().regex() != null) {
          readyRegex.add(p);
        } else if (wanted[p.atom().stringIndex()]) {
          decide(p.atom(), p.start(), p.end());
        }
      } else {
        pending.set(kept++, p);
      }
    }
    pending.subList(kept, pending.size()).clear();
    if (!readyRegex.isEmpty()) {
      runRegexWindows();
    }
  }

  /**
   * Regex candidates of one string whose windows (maxLength either side of each anchor hit)
   * overlap are merged and share one copy of the bytes. A regex whose matches provably start with
   * an anchor is tried once, anchored, at each hit. Any other is searched for once over the merged
   * window: every match contains an anchor (a required literal, or the author's promise), so a
   * match inside the window is a real one and none that holds an anchor hit lies outside it. Dense
   * anchor hits thus cost one pass over the bytes, not one per hit. Matches longer than maxLength
   * do not count.
   */
  private void runRegexWindows() {
    readyRegex.sort((a, b) -> a.atom().stringIndex() != b.atom().stringIndex()
        ? Integer.compare(a.atom().stringIndex(), b.atom().stringIndex())
        : Long.compare(a.start(), b.start()));
    int i = 0;
    while (i < readyRegex.size()) {
      Pending first = readyRegex.get(i);
      int gi = first.atom().stringIndex();
      StringDef.Regex re = first.atom().regex();
      long to = first.end() + re.maxLength();
      int j = i + 1;
      while (j < readyRegex.size() && readyRegex.get(j).atom().stringIndex() == gi
          && readyRegex.get(j).start() - re.maxLength() <= to) {
        to = Math.max(to, readyRegex.get(j).end() + re.maxLength());
        j++;
      }
      if (wanted[gi]) {
        long from = Math.max(first.start() - re.maxLength(), history.start());
        to = Math.min(to, history.end());
        String window = new String(history.copy(from, to), StandardCharsets.ISO_8859_1);
        Matcher m = re.compiled().matcher(window).useTransparentBounds(true).useAnchoringBounds(false);
        if (re.anchorStartsMatch()) {
          for (int k = i; k < j && wanted[gi]; k++) {
            long start = readyRegex.get(k).start();
            if (k == i || start != readyRegex.get(k - 1).start()) {
              anchoredAt(re, gi, m, from, window.length(), (int) (start - from));
            }
          }
        } else {
          searchWindow(re, gi, m, from, window.length());
        }
      }
      i = j;
    }
    readyRegex.clear();
  }

  private void anchoredAt(StringDef.Regex re, int gi, Matcher m, long from, int windowLength, int at) {
    m.region(at, (int) Math.min(windowLength, at + (long) re.maxLength()));
    if (m.lookingAt() && wordsAround(re, from, m)) {
      found(gi, from + m.start(), from + m.end());
    }
  }

  private void searchWindow(StringDef.Regex re, int gi, Matcher m, long from, int windowLength) {
    int search = 0;
    while (search < windowLength) {
      m.region(search, windowLength);
      if (!m.find()) {
        return;
      }
      if (m.end() - m.start() <= re.maxLength() && wordsAround(re, from, m)) {
        found(gi, from + m.start(), from + m.end());
        return;
      }
      search = m.start() + 1;
    }
  }

  /** Final checks of a non-regex candidate whose bytes (and lookahead) are all in the history. */
  private void decide(Atom a, long start, long end) {
    int gi = a.stringIndex();
    if (a.hex() != null) {
      long s = a.hex().matchStart(history::at, start);
      if (s >= 0) {
        found(gi, s, end);
      }
      return;
    }
    if (a.fullwordWidth() > 0 && !(boundary(start - a.fullwordWidth()) && boundary(end))) {
      return;
    }
    found(gi, start, end);
  }

  /** True when the byte at {@code offset} is not alphanumeric (or lies outside the data). */
  private boolean boundary(long offset) {
    int b = history.at(offset);
    return !(b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z');
  }

  private boolean wordsAround(StringDef.Regex re, long from, Matcher m) {
    return !re.fullword() || (boundary(from + m.start() - 1) && boundary(from + m.end()));
  }

  private void onWallet(WalletKind kind, long start, String address) {
    int[] gis = engine.walletStrings.get(kind);
    if (gis == null) {
      return;
    }
    for (int gi : gis) {
      if (wanted[gi] && !matched[gi]) {
        matched[gi] = true;
        wanted[gi] = false;
        firstOffset[gi] = start;
        evidence[gi] = address;
        afterMatch(gi);
      }
    }
  }

  private void found(int gi, long start, long end) {
    matched[gi] = true;
    wanted[gi] = false;
    firstOffset[gi] = start;
    long evEnd = Math.min(end, start + EVIDENCE_BYTES);
    evidence[gi] = history.holds(start, evEnd) ? Redactor.printable(history.copy(start, evEnd), EVIDENCE_BYTES) : "";
    afterMatch(gi);
  }

  /** Conditions are evaluated at the next slice end (see SLICE), not here. */
  private void afterMatch(int gi) {
    int owner = engine.stringOwner[gi];
    if (owner >= 0) {
      dirty[owner] = true;
    } else {
      factsDirty = true;
    }
  }

  private void evaluateDirty() {
    for (int r = 0; r < engine.rules.length; r++) {
      if (live[r] && (dirty[r] || (factsDirty && engine.ruleUsesFacts[r]))) {
        evaluate(r);
      }
      dirty[r] = false;
    }
    factsDirty = false;
  }

  private void evaluate(int r) {
    if (engine.conditions[r].eval(this)) {
      live[r] = false;
      satisfied[r] = true;
      liveCount--;
      for (int gi : engine.stringsOfRule[r]) {
        wanted[gi] = false;
      }
    }
  }

  @Override
  public boolean matched(int stringIndex) {
    return matched[stringIndex];
  }

  @Override
  public boolean fact(Fact fact) {
    return switch (fact) {
      case ELF -> elf;
      case PE -> pe;
      case MACHO -> macho;
      case ELF_UPX -> elf && matched[engine.upxString];
      case GO_BUILDINFO -> (elf || pe || macho) && matched[engine.goString];
      case FILE -> true;
    };
  }

  @Override
  public List<Detection> finish() {
    if (finished) {
      throw new IllegalStateException("finish called twice");
    }
    if (!decided) {
      decide();
      process(head, 0, headLength);
    }
    if (decoder != null) {
      decoder.finish();
    }
    if (wallets != null && liveCount > 0) {
      wallets.finish(history.end(), this::onWallet);
    }
    if (history != null) {
      resolvePending(true);
    }
    evaluateDirty();
    finished = true;
    List<Detection> out = new ArrayList<>();
    for (int r = 0; r < engine.rules.length; r++) {
      if (satisfied[r]) {
        out.add(detection(r));
      }
    }
    for (Detection d : hidden) {
      if (out.stream().noneMatch(o -> o.ruleId().equals(d.ruleId()))) {
        out.add(d);
      }
    }
    if (sha256 != null) {
      String hex = HexFormat.of().formatHex(sha256.digest());
      KnownBadHash h = engine.knownBad.get(hex);
      if (h != null && (h.size() < 0 || h.size() == consumed)) {
        out.add(new Detection(RuleEngine.KNOWN_BAD_RULE_ID, h.severity(), "Known-bad file: " + h.name(), 0,
            Redactor.redact("sha256:" + hex + " " + h.reason())));
      }
    }
    return out;
  }

  private Detection detection(int r) {
    Rule rule = engine.rules[r];
    long offset = -1;
    List<Integer> hits = new ArrayList<>();
    for (int gi : engine.stringsOfRule[r]) {
      if (matched[gi]) {
        hits.add(gi);
        offset = offset < 0 ? firstOffset[gi] : Math.min(offset, firstOffset[gi]);
      }
    }
    hits.sort((x, y) -> Long.compare(firstOffset[x], firstOffset[y]));
    StringBuilder sb = new StringBuilder();
    for (int gi : hits) {
      String piece = "\"" + evidence[gi] + "\"" + (configText ? "" : "@" + firstOffset[gi]);
      if (sb.length() > 0 && sb.length() + piece.length() > 120) {
        sb.append(" (+").append(hits.size() - hits.indexOf(gi)).append(" more)");
        break;
      }
      sb.append(sb.length() > 0 ? " " : "").append(piece);
    }
    if (hits.isEmpty()) {
      sb.append(describeFacts());
    }
    return new Detection(rule.id(), rule.severity(), rule.title(), offset, Redactor.redact(sb.toString()));
  }

  private String describeFacts() {
    List<String> facts = new ArrayList<>();
    for (Fact f : Fact.values()) {
      if (f != Fact.FILE && fact(f)) {
        facts.add(f.ruleName());
      }
    }
    return "facts: " + String.join(", ", facts);
  }

  /**
   * Rescans a decoded run with the same rules, the same path and mode (so path gates still apply),
   * one level deeper. Runs whose first bytes are neither mostly printable nor an executable's magic
   * (hashes, certificates' DER) are not worth a session and are dropped after the probe.
   */
  private final class Rescan implements EncodedBlobs.Sink {
    private long offset;
    private boolean hex;
    private final byte[] probe = new byte[DECODED_PROBE];
    private int probed;
    private EngineSession inner;
    private boolean dropped;

    @Override
    public void begin(long runOffset, boolean runIsHex) {
      offset = runOffset;
      hex = runIsHex;
      probed = 0;
      inner = null;
      dropped = false;
    }

    @Override
    public void decoded(byte[] bytes, int length) {
      if (dropped) {
        return;
      }
      int pos = 0;
      if (inner == null) {
        int take = Math.min(length, probe.length - probed);
        System.arraycopy(bytes, 0, probe, probed, take);
        probed += take;
        pos = take;
        if (probed < probe.length) {
          return;
        }
        if (!startInner()) {
          return;
        }
      }
      if (pos < length && inner.wantsMore()) {
        inner.update(bytes, pos, length - pos);
      }
    }

    @Override
    public void end() {
      if (dropped || (inner == null && !startInner())) {
        return;
      }
      String where = (hex ? "hex" : "base64") + "@" + offset;
      for (Detection d : inner.finish()) {
        hidden.add(new Detection(d.ruleId(), d.severity(), d.title() + " (decoded from " + (hex ? "hex" : "base64") + ")",
            offset, Redactor.redact(where + ": " + d.evidence())));
      }
      inner = null;
    }

    private boolean startInner() {
      if (!worthRescanning(probe, probed)) {
        dropped = true;
        return false;
      }
      inner = new EngineSession(engine, path, declaredSize, mode, configText, depth + 1, budget);
      inner.update(probe, 0, probed);
      return true;
    }
  }

  /** Mostly printable text, or an executable's or script's magic. */
  static boolean worthRescanning(byte[] b, int n) {
    if (n < 4) {
      return false;
    }
    if (ELF.test(b, n) || PE.test(b, n) || (b[0] == '#' && b[1] == '!')) {
      return true;
    }
    int printable = 0;
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t') {
        printable++;
      }
    }
    return printable * 10 >= n * 9;
  }
}
