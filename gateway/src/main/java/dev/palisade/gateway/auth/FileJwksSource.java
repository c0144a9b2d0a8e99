package dev.palisade.gateway.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A JWKS file, re-read on refresh so a rotated file is picked up without a restart. */
final class FileJwksSource implements JwksSource {

  private final Path file;
  private final long maxBytes;
  private final Executor executor;

  FileJwksSource(Path file, long maxBytes, Executor executor) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<byte[]> fetch() {
    return CompletableFuture.supplyAsync(this::read, executor);
  }

  byte[] read() {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new JwksException(file + ": the JWKS is larger than " + maxBytes + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new JwksException(file + ": cannot read the JWKS: " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
