package dev.palisade.release.pipeline;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes step outputs to {@code $GITHUB_OUTPUT} and a Markdown summary to {@code
 * $GITHUB_STEP_SUMMARY} when those are set (in GitHub Actions); does nothing elsewhere.
 */
public final class GithubOutputs {

  private GithubOutputs() {}

  public static void write(Map<String, String> env, Map<String, String> outputs, String summaryMarkdown)
      throws ReleaseException {
    try {
      String outputFile = env.get("GITHUB_OUTPUT");
      if (outputFile != null && !outputFile.isBlank()) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> e : outputs.entrySet()) {
          if (e.getValue().contains("\n")) {
            throw new IllegalArgumentException("output " + e.getKey() + " must be one line");
          }
          lines.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Files.writeString(Path.of(outputFile), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      String summaryFile = env.get("GITHUB_STEP_SUMMARY");
      if (summaryFile != null && !summaryFile.isBlank()) {
        Files.writeString(Path.of(summaryFile), summaryMarkdown, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot write GitHub step outputs: " + e.getMessage(), e);
    }
  }
}
