package dev.palisade.scanner.layer;

/**
 * One filesystem change a layer makes.
 *
 * @param path normalised path (no leading slash); for whiteouts, the path they delete; for opaque
 *     whiteouts, the directory they empty
 */
public record LayerEntry(String path, EntryKind kind) {}
