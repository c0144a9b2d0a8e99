package dev.palisade.scanner.rules;

/**
 * Invalid content in a rule set file. Message form:
 * {@code rules/miners.yaml:42: rule miner.xmrig.binary: field strings.banner.text: must not be empty}.
 */
public final class RuleValidationException extends RuleSetException {

  private static final long serialVersionUID = 1L;

  private final String ruleId;
  private final String field;
  private final int line;

  /**
   * @param ruleId the rule's id, or null when the problem is outside a rule (or the id itself is missing)
   * @param field dotted path of the field, e.g. {@code strings.banner.modifiers[1]}; null for the whole file
   * @param line 1-based line, or 0 when unknown
   */
  public RuleValidationException(String file, String ruleId, String field, int line, String problem) {
    super(file, compose(file, ruleId, field, line, problem), true);
    this.ruleId = ruleId;
    this.field = field;
    this.line = line;
  }

  private static String compose(String file, String ruleId, String field, int line, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (ruleId != null) {
      sb.append("rule ").append(ruleId).append(": ");
    }
    if (field != null) {
      sb.append("field ").append(field).append(": ");
    }
    return sb.append(problem).toString();
  }

  public String ruleId() {
    return ruleId;
  }

  public String field() {
    return field;
  }

  public int line() {
    return line;
  }
}
