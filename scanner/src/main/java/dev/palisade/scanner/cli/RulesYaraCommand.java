package dev.palisade.scanner.cli;

import dev.palisade.scanner.rules.YaraExport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scanner rules yara}: the rules YARA can express, as YARA source; what cannot be exported goes to stderr. */
@Command(name = "yara", mixinStandardHelpOptions = true, description = "Export the rules YARA can express as YARA source (stdout).")
public final class RulesYaraCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin RulesOptions options = new RulesOptions();

  @Override
  public Integer call() throws Exception {
    List<YaraExport.Result> results = YaraExport.exportAll(options.load());
    PrintWriter out = spec.commandLine().getOut();
    out.print(YaraExport.source(results));
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    for (YaraExport.Result r : results) {
      if (!r.exportable()) {
        err.println("not exported: " + r.ruleId() + ": " + r.notExportable());
      }
    }
    err.flush();
    return ExitCodes.CLEAN;
  }
}
