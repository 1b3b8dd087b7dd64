package io.modelserve.examples.echo;

import io.modelserve.Api;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a device-bound model: each inference holds the device for a fixed time (50 ms
 * unless {@code -Dmodelserve.sim.ms} or the device string {@code cpu:<ms>} says otherwise), one at
 * a time. Scaling and balancing tests and benchmarks use it, since its ideal throughput is
 * known: workers x 1000 / ms requests per second.
 */
@Api(name = "sim")
public class SimulatedModel implements Model {

  private long millis;
  private String device;
  private final AtomicLong served = new AtomicLong();

  @Override
  public void init(String device) {
    this.device = device;
    int colon = device.indexOf(':');
    millis = colon >= 0 ? Long.parseLong(device.substring(colon + 1)) : Long.getLong("modelserve.sim.ms", 50);
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws InterruptedException {
    Thread.sleep(millis);
    return ApiResponse.json(Map.of("device", device, "ms", millis, "served", served.incrementAndGet()));
  }
}
