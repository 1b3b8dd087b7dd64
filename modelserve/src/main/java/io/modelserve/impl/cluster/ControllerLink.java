package io.modelserve.impl.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's line to its controller over HTTP, beside the cluster: every period it posts its
 * cluster's member addresses to {@code <controller-addr>/_/cluster} and reads back the
 * controller's. When they are not in one cluster (the controller was restarted on another host
 * and formed a cluster of its own), each adds the other's addresses to what its Hazelcast
 * searches ({@link JoinList}), and the smaller cluster merges into the larger within a merge
 * check or two. The original tool's workers re-registered with the controller over HTTP on
 * every heartbeat for the same reason. Nobody restarts, nobody edits the cluster file.
 */
public final class ControllerLink {

  private static final Logger log = LoggerFactory.getLogger(ControllerLink.class);
  /** How often the worker checks that it shares a cluster with its controller. */
  public static final long PERIOD_MS = 1_000;

  private final Vertx vertx;
  private final URI controller;
  private final JoinList joins;
  private final HttpClient http;
  private long timer = -1;
  private boolean inFlight;
  private boolean apart;

  private final java.util.function.Consumer<List<String>> notListening;

  private ControllerLink(Vertx vertx, URI controller, JoinList joins,
      java.util.function.Consumer<List<String>> notListening) {
    this.notListening = notListening;
    this.vertx = vertx;
    this.controller = controller;
    this.joins = joins;
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) PERIOD_MS).setIdleTimeout(30).setKeepAlive(true));
  }

  /**
   * Starts a link to each controller of {@code controllerUrls} (comma-separated); none when
   * there is no URL or no Hazelcast.
   */
  public static List<ControllerLink> start(Vertx vertx, String controllerUrls) {
    return start(vertx, controllerUrls, ids -> {});
  }

  /**
   * As {@link #start(Vertx, String)}; {@code notListening} hears of the worker ids whose address
   * a controller lately found without a handler (their event-bus registration was lost).
   */
  public static List<ControllerLink> start(Vertx vertx, String controllerUrls,
      java.util.function.Consumer<List<String>> notListening) {
    if (controllerUrls == null || controllerUrls.isBlank()) {
      return List.of();
    }
    JoinList joins = JoinList.of(vertx);
    if (joins == null) {
      return List.of();
    }
    List<ControllerLink> links = new ArrayList<>();
    for (String url : controllerUrls.split(",")) {
      if (!url.isBlank()) {
        ControllerLink link = new ControllerLink(vertx, URI.create(url.trim()), joins, notListening);
        link.timer = vertx.setPeriodic(PERIOD_MS, t -> link.check());
        links.add(link);
      }
    }
    return links;
  }

  private void check() {
    if (inFlight) {
      return;
    }
    inFlight = true;
    Buffer body = joins.self().toBuffer();
    int port = controller.getPort() > 0 ? controller.getPort() : 80;
    RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(controller.getHost())
        .setPort(port).setURI("/_/cluster").setTimeout(PERIOD_MS).putHeader("content-type", "application/json");
    http.request(req)
        .compose(r -> r.send(body))
        .compose(r -> r.statusCode() == 200 ? r.body() : io.vertx.core.Future.failedFuture("HTTP " + r.statusCode()))
        .onComplete(ar -> {
          inFlight = false;
          if (ar.succeeded()) {
            onAnswer(ar.result());
          } else {
            // the controller is down or unreachable: nothing to learn; its restart shows up here
            joins.expire();
          }
        });
  }

  private void onAnswer(Buffer answer) {
    JsonObject other;
    try {
      other = answer.toJsonObject();
    } catch (RuntimeException e) {
      return;
    }
    io.vertx.core.json.JsonArray lost = other.getJsonArray("notListening");
    if (lost != null && !lost.isEmpty()) {
      List<String> ids = new ArrayList<>();
      lost.forEach(id -> ids.add(String.valueOf(id)));
      notListening.accept(ids);
    }
    boolean together = joins.isMember(other.getString("uuid", ""));
    if (!together) {
      int fresh = joins.heard(other);
      if (!apart) {
        log.info("the controller at {} is in another cluster ({} member(s)); searching for it at {} ({} new)",
            controller, other.getJsonArray("members", new io.vertx.core.json.JsonArray()).size(),
            other.getJsonArray("members"), fresh);
      }
    } else {
      joins.expire();
      if (apart) {
        log.info("the controller at {} and this worker are in one cluster again", controller);
      }
    }
    apart = !together;
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    http.close();
  }
}
