package dev.palisade.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The history entry umoci records for a layer or config change.
 *
 * <p>Scanners read {@code created_by} for download-and-run tricks ({@code wget ... | sh}), so
 * tests need to set it precisely. {@code created} defaults to the wall clock in umoci, which makes
 * every build's digests differ; pin it for reproducible images.
 *
 * @param createdBy the {@code created_by} text, or {@code null} for umoci's default
 * @param comment the {@code comment}, or {@code null}
 * @param created the {@code created} time, or {@code null} for now
 * @param recorded false for {@code --no-history}: the change leaves no history entry at all
 */
public record History(String createdBy, String comment, Instant created, boolean recorded) {

    /** No history entry (umoci's {@code --no-history}). */
    public static final History NONE = new History(null, null, null, false);
    /** umoci's own default entry (e.g. {@code created_by: "umoci insert"}). */
    public static final History DEFAULT = new History(null, null, null, true);

    public static History createdBy(String createdBy) {
        return new History(createdBy, null, null, true);
    }

    public History withComment(String newComment) {
        return new History(createdBy, newComment, created, true);
    }

    public History at(Instant time) {
        return new History(createdBy, comment, time, true);
    }

    List<String> umociArguments() {
        List<String> arguments = new ArrayList<>();
        if (!recorded) {
            arguments.add("--no-history");
            return arguments;
        }
        if (createdBy != null) {
            arguments.add("--history.created_by=" + createdBy);
        }
        if (comment != null) {
            arguments.add("--history.comment=" + comment);
        }
        if (created != null) {
            arguments.add("--history.created=" + created);
        }
        return arguments;
    }
}
