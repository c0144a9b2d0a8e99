package dev.palisade.gateway.config;

/** The wire format a provider speaks. */
public enum Protocol {
  OPENAI("openai"),
  AZURE_OPENAI("azure-openai"),
  ANTHROPIC("anthropic");

  private final String configName;

  Protocol(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  static java.util.Optional<Protocol> byConfigName(String name) {
    for (Protocol p : values()) {
      if (p.configName.equals(name)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
