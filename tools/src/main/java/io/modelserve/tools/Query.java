package io.modelserve.tools;

import io.modelserve.tools.impl.BodyFormat;
import io.modelserve.tools.impl.Cli;
import io.modelserve.tools.impl.Failures;
import io.modelserve.tools.impl.PreparedRequest;
import io.modelserve.tools.impl.RequestArgs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Sends one request and prints the status line and the body, JSON indented.
 *
 * <p>Usage: {@code java -cp <cp> io.modelserve.tools.Query --url URL [-X M] [--query K=V]
 * [--form K=V] [--file FIELD=PATH] [--json TEXT | --json-file PATH] [-H 'Name: value']}.
 * Exits 0 for a 2xx answer, 1 for any other answer or a transport error, 2 for bad input.
 */
@Command(name = "query", sortOptions = false,
    description = "Sends one request to a URL and prints the status line and the body.")
public final class Query implements Callable<Integer> {

  @Mixin
  private RequestArgs request;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Spec
  private CommandSpec spec;

  private record Answer(HttpVersion version, int status, String message, String contentType, Buffer body) {}

  public static void main(String[] args) {
    Cli.quietLogging();
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns its exit code. */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return Cli.execute(new Query(), args, out, err);
  }

  @Override
  public Integer call() {
    PreparedRequest prepared = PreparedRequest.of(request.toSpec());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient();
      Answer answer = prepared.send(client)
          .compose(response -> response.body().map(body -> new Answer(response.version(),
              response.statusCode(), response.statusMessage(),
              response.getHeader(HttpHeaders.CONTENT_TYPE), body)))
          .toCompletionStage().toCompletableFuture().join();
      out.println(versionName(answer.version()) + " " + answer.status() + " " + answer.message());
      String body = BodyFormat.format(answer.contentType(), answer.body());
      if (!body.isEmpty()) {
        out.println(body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
      }
      out.flush();
      return Failures.isSuccess(answer.status()) ? 0 : 1;
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("query: " + prepared + " failed: " + Failures.of(cause)
          + (cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""));
      err.flush();
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static String versionName(HttpVersion version) {
    switch (version) {
      case HTTP_1_0: return "HTTP/1.0";
      case HTTP_2: return "HTTP/2";
      default: return "HTTP/1.1";
    }
  }
}
