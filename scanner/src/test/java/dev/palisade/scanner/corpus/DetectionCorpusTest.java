package dev.palisade.scanner.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.scanner.fixtures.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled detection corpus (issue 7): every bad image must give every finding it is labelled
 * with (100% recall), every clean image none at all. Images are built once for the class; the big
 * clean inputs come from a cache (see {@link CleanCorpus}).
 *
 * <p>With {@code -Dpalisade.corpus.out=DIR} the images stay in DIR and {@code results.tsv} there
 * lists name, category, evasion, expected and found rule ids per image: bench/detection reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectionCorpusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  List<CorpusImage> bad;
  List<CorpusImage> clean;
  final Map<String, Set<String>> found = new LinkedHashMap<>();

  @BeforeAll
  void build(@TempDir Path tmp) throws IOException {
    String out = System.getProperty("palisade.corpus.out");
    dir = out != null ? Files.createDirectories(Path.of(out)) : tmp;
    bad = BadCorpus.build(dir);
    clean = CleanCorpus.build(dir, samplesClean());
  }

  private static Path samplesClean() {
    // The project's clean sample image, relative to the scanner module (Maven runs tests there).
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("samples/clean"))) {
        return p.resolve("samples/clean");
      }
    }
    throw new IllegalStateException("samples/clean not found above " + Path.of("").toAbsolutePath());
  }

  private Set<String> scan(CorpusImage image) {
    CliRun run = CliRun.of("scan", image.imageSpec(), "--format", "json", "--quiet");
    assertTrue(run.exitCode() == 0 || run.exitCode() == 1, image.name() + ": " + run);
    JsonNode report;
    try {
      report = JSON.readTree(run.out());
    } catch (IOException e) {
      throw new AssertionError(image.name() + ": report is not JSON: " + run, e);
    }
    // Skipped content is never clean: an incomplete scan would make a zero-finding verdict worthless.
    assertEquals(0, report.path("incomplete").size(), image.name() + " scanned incompletely: " + run.out());
    Set<String> rules = new TreeSet<>();
    for (JsonNode platform : report.path("platforms")) {
      for (JsonNode f : platform.path("findings")) {
        rules.add(f.path("ruleId").asText());
      }
    }
    found.put(image.name(), rules);
    return rules;
  }

  @Test
  void corpusIsBigEnoughAndCoversEveryCategoryAndEvasion() {
    assertTrue(bad.size() >= 40, "bad images: " + bad.size());
    assertTrue(clean.size() >= 10, "clean images: " + clean.size());
    Set<String> categories = new HashSet<>();
    Set<String> evasions = new HashSet<>();
    bad.forEach(i -> {
      categories.add(i.category());
      evasions.add(i.evasion());
    });
    assertEquals(CorpusImage.CATEGORIES, categories);
    assertTrue(evasions.containsAll(Set.of("deleted-later-layer", "zstd", "jar-in-jar", "base64-wrapped", "hex-wrapped",
        "renamed-binary", "docker-archive", "multi-platform-one-bad", "config-only")), evasions.toString());
  }

  /** 100% recall: each bad image reports every rule it is labelled with. */
  @Test
  void everyBadImageIsCaught() {
    List<String> missed = new ArrayList<>();
    for (CorpusImage image : bad) {
      Set<String> rules = scan(image);
      for (String expected : image.expectedRules()) {
        if (!rules.contains(expected)) {
          missed.add(image.name() + " [" + image.category() + "/" + image.evasion() + "]: missing " + expected + ", got " + rules);
        }
      }
    }
    assertEquals(List.of(), missed);
  }

  /** Zero findings on images of real software. */
  @Test
  void cleanImagesGiveNoFinding() {
    List<String> noisy = new ArrayList<>();
    for (CorpusImage image : clean) {
      Set<String> rules = scan(image);
      if (!rules.isEmpty()) {
        noisy.add(image.name() + ": " + rules);
      }
    }
    assertEquals(List.of(), noisy);
  }

  @AfterAll
  void writeResults() throws IOException {
    if (System.getProperty("palisade.corpus.out") == null) {
      return;
    }
    StringBuilder sb = new StringBuilder("name\tcategory\tevasion\texpected\tfound\timage\n");
    List<CorpusImage> all = new ArrayList<>(bad);
    all.addAll(clean);
    for (CorpusImage i : all) {
      sb.append(i.name()).append('\t').append(i.category()).append('\t').append(i.evasion()).append('\t')
          .append(String.join(",", new TreeSet<>(i.expectedRules()))).append('\t')
          .append(String.join(",", found.getOrDefault(i.name(), Set.of()))).append('\t').append(i.imageSpec()).append('\n');
    }
    Files.writeString(dir.resolve("results.tsv"), sb.toString());
  }
}
