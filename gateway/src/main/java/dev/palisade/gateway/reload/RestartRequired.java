package dev.palisade.gateway.reload;

import dev.palisade.gateway.config.AdminConfig;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings a running gateway cannot change: what it listens on, how many event loops it runs,
 * its TLS settings and header cap, where its admin API listens and audits, how it watches its
 * config, and the {@code state}
 * store (stores and their connections outlive reloads by design). A reload reports them instead
 * of silently ignoring them.
 */
public final class RestartRequired {

  private RestartRequired() {}

  public static List<String> between(GatewayConfig running, GatewayConfig next) {
    List<String> out = new ArrayList<>();
    ServerConfig a = running.server();
    ServerConfig b = next.server();
    if (!a.host().equals(b.host())) {
      out.add("server.host");
    }
    if (a.port() != b.port()) {
      out.add("server.port");
    }
    if (a.eventLoops() != b.eventLoops()) {
      out.add("server.event_loops");
    }
    if (!Objects.equals(a.tls(), b.tls())) {
      out.add("server.tls");
    }
    if (running.limits().headerHardCap() != next.limits().headerHardCap()) {
      out.add("limits.max_header_bytes"); // the listener's hard cap on header bytes
    }
    AdminConfig x = running.admin();
    AdminConfig y = next.admin();
    if ((x == null) != (y == null)) {
      out.add("admin");
    } else if (x != null) {
      if (!x.host().equals(y.host())) {
        out.add("admin.host");
      }
      if (x.port() != y.port()) {
        out.add("admin.port");
      }
      if (!x.auditLog().equals(y.auditLog())) {
        out.add("admin.audit_log");
      }
    }
    if (running.lifecycle().watchConfig() != next.lifecycle().watchConfig()) {
      out.add("lifecycle.watch_config");
    }
    if (!Objects.equals(running.lifecycle().pollInterval(), next.lifecycle().pollInterval())) {
      out.add("lifecycle.poll_interval");
    }
    if (!Objects.equals(running.lifecycle().debounce(), next.lifecycle().debounce())) {
      out.add("lifecycle.debounce");
    }
    if (!running.state().equals(next.state())) {
      out.add("state");
    }
    return out;
  }
}
