package dev.palisade.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The admin audit trail: one JSON object per line ({@code time, actor, action, target, result},
 * plus {@code error} for refused changes and {@code detail} for reloads). Actors are token ids,
 * never tokens; consumer keys never appear, only their ids. Each entry is appended and forced to
 * disk before the admin call answers, so an answered change is on record.
 */
public final class AuditLog {

  private final Path file;
  private final Clock clock;

  public AuditLog(Path file, Clock clock) throws IOException {
    this.file = file;
    this.clock = clock;
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    append(null); // fail at start-up, not at the first change, if the file cannot be written
  }

  public Path file() {
    return file;
  }

  /** Appends one entry. Blocking (a file write and fsync): call it off the event loop. */
  public void record(String actor, String action, String target, String result, String error, String detail)
      throws IOException {
    ObjectNode e = Json.object();
    e.put("time", clock.instant().toString());
    e.put("actor", actor);
    e.put("action", action);
    e.put("target", target);
    e.put("result", result);
    if (error != null) {
      e.put("error", error);
    }
    if (detail != null) {
      e.put("detail", detail);
    }
    append(Json.text(e) + "\n");
  }

  private synchronized void append(String line) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      if (line != null) {
        ch.write(ByteBuffer.wrap(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ch.force(false);
      }
    }
  }
}
