package dev.palisade.signing.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An attestation the image must carry, signed by an accepted signer, about the image's digest, of
 * this predicate type, whose predicate satisfies every condition.
 */
public record AttestationRequirement(String predicateType, List<Condition> conditions) {

  public AttestationRequirement {
    conditions = List.copyOf(conditions);
  }

  /**
   * A check on one value of the predicate, addressed by JSON pointer ({@code
   * /buildDefinition/externalParameters/workflow/ref}); exactly one of {@code equals} / {@code matches}
   * (a whole-value regexp) / {@code present}.
   */
  public record Condition(String pointer, String equals, Pattern matches) {
    /** The reason the predicate fails this condition, or null when it holds. */
    public String failure(JsonNode predicate) {
      JsonNode value = predicate.at(pointer);
      if (value.isMissingNode() || value.isNull()) {
        return pointer + " is absent";
      }
      String text = value.isValueNode() ? value.asText() : value.toString();
      if (equals != null && !equals.equals(text)) {
        return pointer + " is '" + shorten(text) + "', not '" + equals + "'";
      }
      if (matches != null && !matches.matcher(text).matches()) {
        return pointer + " is '" + shorten(text) + "', which does not match /" + matches.pattern() + "/";
      }
      return null;
    }

    private static String shorten(String text) {
      return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
  }

  /** Every condition this predicate fails (empty when it satisfies the requirement). */
  public List<String> failures(JsonNode predicate) {
    List<String> failures = new ArrayList<>();
    for (Condition condition : conditions) {
      String failure = condition.failure(predicate);
      if (failure != null) {
        failures.add(failure);
      }
    }
    return failures;
  }
}
