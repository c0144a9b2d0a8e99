package dev.palisade.scanner.detect;

import dev.palisade.scanner.rules.RuleSetLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Throughput of the detection engine: not a unit test, a tool. Run from the scanner module after
 * {@code mvn test-compile}:
 *
 * <pre>
 * cd scanner &amp;&amp; mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.palisade.scanner.detect.DetectBench [MB] [policiesDir]
 * </pre>
 *
 * It feeds MB megabytes (default 200) of half random bytes, half text sprinkled with near-miss
 * tokens, as 16 MiB files: once as ELF executables (every executable, network and wallet rule
 * live: the worst case) and once as text files, in 64 KiB chunks, and prints MB/s per core.
 */
public final class DetectBench {

  private DetectBench() {}

  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path policies = Path.of(args.length > 1 ? args[1] : "../policies");
    RuleEngine engine = RuleEngine.compile(RuleSetLoader.load(policies));
    System.out.println("rule set " + engine.info().name() + " " + engine.info().version() + ": "
        + engine.info().ruleCount() + " rules; automaton " + engine.automatonSummary());
    byte[] data = corpus(16 << 20);
    byte[] textOnly = text(16 << 20);
    for (int round = 0; round < 2; round++) {
      report("executables (mixed binary+text)", run(engine, data, mb, true));
      report("text files", run(engine, textOnly, mb, false));
      report("automaton only", automatonOnly(engine, data, mb));
    }
  }

  /** Prints wall-clock and CPU-time throughput: on a busy machine the CPU figure is the per-core one. */
  private static void report(String what, double[] r) {
    double mb = r[0] / (1 << 20);
    System.out.printf("%-34s %6.0f MB: %6.1f MB/s wall, %6.1f MB/s per CPU-second%n", what, mb, mb / (r[1] / 1e9), mb / (r[2] / 1e9));
  }

  private static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static double[] run(RuleEngine engine, byte[] file, int mb, boolean elf) {
    long total = 0;
    long start = System.nanoTime();
    long cpuStart = cpu();
    int detections = 0;
    while (total < (long) mb << 20) {
      if (elf) {
        System.arraycopy(SampleCase.elfHeader(), 0, file, 0, 64);
      }
      MatchSession s = engine.open(new FileContext("usr/lib/x/file" + total, file.length, 0755));
      for (int pos = 0; pos < file.length && s.wantsMore(); pos += 1 << 16) {
        s.update(file, pos, Math.min(1 << 16, file.length - pos));
      }
      detections += s.finish().size();
      total += file.length;
    }
    if (detections != 0) {
      System.out.println("  (unexpected detections: " + detections + ")");
    }
    return new double[] {total, System.nanoTime() - start, cpu() - cpuStart};
  }

  private static double[] automatonOnly(RuleEngine engine, byte[] data, int mb) {
    long total = 0;
    long start = System.nanoTime();
    long cpuStart = cpu();
    int[] sink = new int[1];
    int state = engine.automaton.initialState();
    while (total < (long) mb << 20) {
      state = engine.automaton.scan(state, data, 0, data.length, total, (id, end) -> sink[0]++);
      total += data.length;
    }
    return new double[] {total, System.nanoTime() - start, cpu() - cpuStart};
  }

  static byte[] corpus(int size) {
    byte[] out = new byte[size];
    Random r = new Random(1);
    byte[] text = text(size);
    for (int pos = 0; pos < size; pos += 4096) {
      int n = Math.min(4096, size - pos);
      if (r.nextBoolean()) {
        byte[] chunk = new byte[n];
        r.nextBytes(chunk);
        System.arraycopy(chunk, 0, out, pos, n);
      } else {
        System.arraycopy(text, pos, out, pos, n);
      }
    }
    return out;
  }

  static byte[] text(int size) {
    String[] words = {"the", "pool", "of", "threads", "curl", "stratum", "config", "url", "mining", "minerd", "xmr",
        "chmod", "--threads", "-o", "wallet", "4A", "base64", "donate", "level", "rx", "cn/r", "random", "x", "json",
        "\"pools\"", "int", "return", "function", "import", "class", "public", "static", "void"};
    StringBuilder sb = new StringBuilder(size + 64);
    Random r = new Random(2);
    while (sb.length() < size) {
      sb.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? "\n" : " ");
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }
}
