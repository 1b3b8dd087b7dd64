package io.modelserve.tools;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a load run paces its requests; see {@link LoadTester} for what each one measures. */
public enum LoadMode {
  /** Fixed number of clients, each sending its next request when the previous one answers. */
  @JsonProperty("closed-loop")
  CLOSED_LOOP,
  /** Requests sent on a fixed schedule whatever the server does; latency counts queueing. */
  @JsonProperty("open-loop")
  OPEN_LOOP;

  /** The name used in reports and JSON, e.g. {@code closed-loop}. */
  public String label() {
    return this == CLOSED_LOOP ? "closed-loop" : "open-loop";
  }
}
