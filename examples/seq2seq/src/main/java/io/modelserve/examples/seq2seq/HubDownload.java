package io.modelserve.examples.seq2seq;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fetches files of a Hugging Face hub repository into a local folder, the way {@code
 * huggingface_hub} does but without Python: {@code <endpoint>/<repo>/resolve/<revision>/<path>},
 * {@code HF_ENDPOINT} for a mirror, {@code HF_TOKEN} for gated repositories.
 *
 * <p>Each file is written to {@code <name>.part} and renamed when complete, so an interrupted
 * download resumes with an HTTP Range request and a finished file is never half-written.
 */
public final class HubDownload {

  /** One file to fetch: its path in the repository and its name in the target folder. */
  public record HubFile(String repoPath, String localName) {
    public static HubFile of(String repoPath) {
      return new HubFile(repoPath, repoPath.substring(repoPath.lastIndexOf('/') + 1));
    }
  }

  /** Raised with a message a user can act on: offline, not found, refused. */
  public static final class DownloadException extends IOException {
    public DownloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final String endpoint;
  private final String token;
  private final HttpClient client;
  private final PrintStream progress;

  public HubDownload(String endpoint, String token, Duration connectTimeout, PrintStream progress) {
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.token = token == null || token.isBlank() ? null : token;
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.progress = progress;
  }

  /** Endpoint and token from {@code HF_ENDPOINT} and {@code HF_TOKEN}, progress on stderr. */
  public static HubDownload fromEnvironment() {
    String endpoint = System.getenv().getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT);
    return new HubDownload(endpoint, System.getenv("HF_TOKEN"), DEFAULT_CONNECT_TIMEOUT, System.err);
  }

  /** Downloads every file of {@code repo} at {@code revision} into {@code target}. */
  public void fetchAll(String repo, String revision, List<HubFile> files, Path target) throws IOException {
    Files.createDirectories(target);
    for (HubFile file : files) {
      fetch(repo, revision, file, target.resolve(file.localName()));
    }
  }

  /** Downloads one file unless it is already complete; resumes a {@code .part} left behind. */
  public void fetch(String repo, String revision, HubFile file, Path dest) throws IOException {
    if (Files.exists(dest)) {
      progress.printf("%s: already present%n", dest.getFileName());
      return;
    }
    URI uri = URI.create(endpoint + "/" + repo + "/resolve/" + revision + "/" + file.repoPath());
    Path part = dest.resolveSibling(dest.getFileName() + ".part");
    long have = Files.exists(part) ? Files.size(part) : 0;

    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "modelserve-download");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response = send(request.build(), uri);
    int status = response.statusCode();
    boolean append;
    long total;
    if (status == 206) {
      append = true;
      total = have + response.headers().firstValueAsLong("Content-Length").orElse(-1);
    } else if (status == 416 && have > 0) {
      // the part already holds the whole file: the server has nothing past its end
      response.body().close();
      Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE);
      progress.printf("%s: complete%n", dest.getFileName());
      return;
    } else if (status == 200) {
      append = false; // server ignored Range: start over
      have = 0;
      total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    } else {
      response.body().close();
      throw new DownloadException(describe(status, uri), null);
    }
    if (have > 0) {
      progress.printf("%s: resuming at %s%n", dest.getFileName(), megabytes(have));
    }
    copy(response.body(), part, append, have, total, dest.getFileName().toString());
    Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE);
  }

  private HttpResponse<InputStream> send(HttpRequest request, URI uri) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
      throw offline(uri, e);
    } catch (HttpTimeoutException e) {
      throw offline(uri, e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException) {
        throw offline(uri, e);
      }
      throw new DownloadException("download of " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownloadException("download of " + uri + " interrupted", e);
    }
  }

  private DownloadException offline(URI uri, Exception cause) {
    return new DownloadException("cannot reach " + uri.getScheme() + "://" + uri.getAuthority()
        + " (" + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
        + "). This machine looks offline: connect it, set HF_ENDPOINT to a reachable mirror, "
        + "or copy the model files into the target folder by hand.", cause);
  }

  private static String describe(int status, URI uri) {
    String why = switch (status) {
      case 401, 403 -> "access refused (a gated model? set HF_TOKEN)";
      case 404 -> "not found (check the repository, revision and file name)";
      default -> "the server answered HTTP " + status;
    };
    return "download of " + uri + " failed: " + why;
  }

  private void copy(InputStream in, Path part, boolean append, long have, long total, String name)
      throws IOException {
    ProgressBar bar = new ProgressBar(progress, name, total, have);
    StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (in; OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        bar.advance(n);
      }
    }
    bar.finish();
    if (total >= 0 && Files.size(part) != total) {
      throw new DownloadException(name + ": connection closed after " + Files.size(part) + " of " + total
          + " bytes; run the download again to resume", null);
    }
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** A one-line bar redrawn at most ten times a second: {@code name [#####     ] 52% 12.0/23.1 MB}. */
  static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String name;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDraw;

    ProgressBar(PrintStream out, String name, long total, long done) {
      this.out = out;
      this.name = name;
      this.total = total;
      this.done = done;
      this.startBytes = done;
    }

    void advance(long bytes) {
      done += bytes;
      long now = System.nanoTime();
      if (now - lastDraw > 100_000_000L) {
        lastDraw = now;
        out.print("\r" + line());
        out.flush();
      }
    }

    void finish() {
      out.println("\r" + line());
    }

    String line() {
      double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
      String speed = String.format(Locale.ROOT, "%.1f MB/s", (done - startBytes) / 1e6 / seconds);
      if (total <= 0) {
        return name + " " + megabytes(done) + " " + speed;
      }
      int filled = (int) (WIDTH * Math.min(1.0, done / (double) total));
      return String.format(Locale.ROOT, "%s [%s%s] %3d%% %.1f/%.1f MB %s", name, "#".repeat(filled),
          " ".repeat(WIDTH - filled), 100 * done / total, done / 1e6, total / 1e6, speed);
    }
  }
}
