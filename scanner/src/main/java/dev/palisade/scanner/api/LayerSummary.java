package dev.palisade.scanner.api;

/**
 * What was read of one layer.
 *
 * @param compression {@code gzip}, {@code zstd} or {@code none}, as detected from the bytes
 * @param compressedBytes bytes of the blob read
 * @param uncompressedBytes bytes of tar stream read
 * @param entries tar entries seen
 */
public record LayerSummary(int index, String digest, String mediaType, String compression,
    long compressedBytes, long uncompressedBytes, long entries) {}
