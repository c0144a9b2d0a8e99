package dev.palisade.release;

import java.util.Objects;

/** Progress from a pipeline stage; the CLI decides whether and where to show it. */
public record ReleaseEvent(String stage, String message) {
  public ReleaseEvent {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(message, "message");
  }
}
