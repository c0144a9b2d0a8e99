package dev.palisade.release.sbom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a dpkg status file into installed packages (name, version, architecture, depends). */
public final class DpkgStatus {

  /** One installed package. {@code depends} holds package names only, alternatives flattened. */
  public record Entry(String name, String version, String architecture, String source, List<String> depends) {
    public Entry {
      depends = List.copyOf(depends);
    }

    public String purl() {
      return "pkg:deb/debian/" + name + "@" + version.replace(":", "%3A") + "?arch=" + architecture;
    }
  }

  private DpkgStatus() {}

  public static List<Entry> parse(byte[] statusFile) {
    List<Entry> entries = new ArrayList<>();
    for (String paragraph : new String(statusFile, StandardCharsets.UTF_8).split("\n\\s*\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      String last = null;
      for (String line : paragraph.split("\n")) {
        if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
          fields.merge(last, "\n" + line.strip(), String::concat);
        } else if (line.indexOf(':') > 0) {
          last = line.substring(0, line.indexOf(':'));
          fields.put(last, line.substring(line.indexOf(':') + 1).strip());
        }
      }
      String status = fields.getOrDefault("Status", "");
      if (!fields.containsKey("Package") || !status.endsWith("installed") || status.endsWith("not-installed")) {
        continue;
      }
      List<String> depends = new ArrayList<>();
      for (String field : List.of("Pre-Depends", "Depends")) {
        for (String clause : fields.getOrDefault(field, "").split(",")) {
          for (String alternative : clause.split("\\|")) {
            String name = alternative.strip().split("[\\s(:]")[0];
            if (!name.isEmpty()) {
              depends.add(name);
            }
          }
        }
      }
      entries.add(new Entry(fields.get("Package"), fields.getOrDefault("Version", ""),
          fields.getOrDefault("Architecture", "all"), fields.get("Source"), depends));
    }
    return entries;
  }
}
