package io.modelserve.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One-time work that would otherwise fall on an event loop. Netty 4.2's pooling allocator
 * registers its JFR event types when it makes its first chunk, which loads much of
 * {@code jdk.jfr}: on a worker's first heartbeat that held an event loop for 0.4 s on an idle
 * machine and over 2 s on a loaded one, and Vert.x warned of a blocked thread. Jackson builds its
 * serializers on first use, as the controller's first status page or heartbeat found. Run
 * before Vert.x starts, or on a worker thread.
 */
public final class EventLoopWarmUp {

  private static volatile boolean done;

  private EventLoopWarmUp() {}

  public static void run() {
    if (done) {
      return;
    }
    // what a socket write does: copy a heap buffer into a pooled direct one, then free both
    ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(1024).writeLong(1);
    ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(1024);
    direct.writeBytes(heap, heap.readerIndex(), heap.readableBytes());
    direct.nioBuffer();
    direct.capacity(64 * 1024);
    heap.release();
    direct.release();
    // JSON both ways, through Vert.x's codec and our mapper
    JsonObject json = new JsonObject().put("a", new JsonObject().put("b", new JsonArray().add(1).add("c")));
    new JsonObject(json.encodePrettily()).toBuffer();
    try {
      Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(Map.of("a", List.of(1, "b"))), Object.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    done = true;
  }
}
