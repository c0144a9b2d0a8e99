package dev.palisade.scanner.detect;

import dev.palisade.scanner.rules.Condition;
import dev.palisade.scanner.rules.Fact;
import java.util.Map;

/** A rule condition compiled to global string indices. Monotone, so evaluation order does not matter. */
abstract class ConditionNode {

  /** What a session knows when a condition is evaluated. */
  interface State {
    boolean matched(int stringIndex);

    boolean fact(Fact fact);
  }

  abstract boolean eval(State s);

  static ConditionNode compile(Condition c, Map<String, Integer> stringIndexByName) {
    if (c instanceof Condition.Str str) {
      int gi = stringIndexByName.get(str.name());
      return new ConditionNode() {
        @Override
        boolean eval(State s) {
          return s.matched(gi);
        }
      };
    }
    if (c instanceof Condition.FactIs f) {
      Fact fact = f.fact();
      return new ConditionNode() {
        @Override
        boolean eval(State s) {
          return s.fact(fact);
        }
      };
    }
    java.util.List<Condition> items;
    int needed;
    if (c instanceof Condition.Any a) {
      items = a.of();
      needed = 1;
    } else if (c instanceof Condition.All a) {
      items = a.of();
      needed = items.size();
    } else {
      Condition.AtLeast a = (Condition.AtLeast) c;
      items = a.of();
      needed = a.n();
    }
    ConditionNode[] children = new ConditionNode[items.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = compile(items.get(i), stringIndexByName);
    }
    int n = needed;
    return new ConditionNode() {
      @Override
      boolean eval(State s) {
        int hits = 0;
        for (int i = 0; i < children.length; i++) {
          if (children[i].eval(s) && ++hits >= n) {
            return true;
          }
          if (hits + (children.length - i - 1) < n) {
            return false;
          }
        }
        return false;
      }
    };
  }
}
