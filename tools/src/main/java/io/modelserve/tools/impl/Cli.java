package io.modelserve.tools.impl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** What the tools' {@code main} methods share: argument errors, exit codes, logging, TTYs. */
public final class Cli {

  /** Exit code for input the tool cannot use, as picocli uses for usage errors. */
  public static final int BAD_INPUT = CommandLine.ExitCode.USAGE;

  private Cli() {}

  /**
   * Runs a picocli command. Bad arguments, and {@link IllegalArgumentException}s thrown while
   * it runs, become one line on {@code err} and exit code {@link #BAD_INPUT}: a user who typed
   * {@code --form a} wants to hear what is wrong, not read the whole usage text again.
   */
  public static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(command);
    String name = cli.getCommandName();
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      err.println(name + ": " + e.getMessage() + " (see --help)");
      err.flush();
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, c, p) -> {
      if (e instanceof IllegalArgumentException) {
        err.println(name + ": " + e.getMessage());
        err.flush();
        return BAD_INPUT;
      }
      throw e;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Without a configuration file Logback logs everything at DEBUG to standard output, which
   * would bury a tool's output under Netty's start-up chatter. Only the command-line entry
   * points call this; a program that embeds the tools keeps its own logging.
   */
  public static void quietLogging() {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /** Whether standard error is a terminal, so a progress bar would be seen, not logged. */
  public static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // No /proc (not Linux): the console exists only when the JVM has a terminal.
      return System.console() != null;
    }
  }
}
