package dev.palisade.scanner.cli;

import dev.palisade.oci.redact.Redactor;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure into one clear line on stderr and the right exit code. No stack traces: they
 * help nobody running a scan, and they can carry URLs with secrets. {@code PALISADE_DEBUG=1} prints
 * one for bug reports.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception failure, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    int code = ExitCodes.of(failure);
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (code == ExitCodes.INTERNAL) {
      err.println("scanner: internal error: " + Redactor.text(failure.getClass().getName() + ": " + message));
    } else {
      err.println("scanner: " + Redactor.text(message));
    }
    if ("1".equals(System.getenv("PALISADE_DEBUG"))) {
      failure.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException failure, String[] args) {
    CommandLine command = failure.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("scanner: " + Redactor.text(failure.getMessage()));
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE_OR_INPUT;
  }
}
