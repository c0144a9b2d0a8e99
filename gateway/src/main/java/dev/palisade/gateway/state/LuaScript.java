package dev.palisade.gateway.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script shipped as a resource, called by its SHA-1 (EVALSHA) as Redis caches it. */
public record LuaScript(String name, String source, String sha1) {

  /**
   * The script made of these resources, in order. Redis scripts cannot load one another, so
   * functions several scripts share live in one resource that each of them is given first.
   */
  public static LuaScript resource(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("no script resource named");
    }
    StringBuilder source = new StringBuilder();
    for (String name : names) {
      try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + name);
        }
        source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.toString().getBytes(StandardCharsets.UTF_8));
      return new LuaScript(String.join(" + ", names), source.toString(), HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Request evalsha(List<String> keys, List<String> args) {
    Request r = Request.cmd(Command.EVALSHA).arg(sha1).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }
}
