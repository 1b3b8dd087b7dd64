package io.modelserve.examples.echo;

import io.modelserve.Api;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.Settings;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for a device-bound model: each inference holds the device for a fixed time, one at
 * a time: 50 ms unless the setting {@code ms} ({@code --set ms=10}) or the device string
 * {@code cpu:<ms>} says otherwise. Scaling and balancing tests and benchmarks use it, since its
 * ideal throughput is known: workers x 1000 / ms requests per second.
 */
@Api(name = "sim")
public class SimulatedModel implements Model {

  private static final Logger log = LoggerFactory.getLogger(SimulatedModel.class);

  private long millis;
  private String device;
  private final AtomicLong served = new AtomicLong();

  @Override
  public void init(String device, Settings settings) {
    this.device = device;
    int colon = device.indexOf(':');
    millis = settings.getLong("ms", colon >= 0 ? Long.parseLong(device.substring(colon + 1)) : 50);
    if (millis < 0) {
      throw new IllegalArgumentException("setting 'ms' must not be negative");
    }
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws InterruptedException {
    Thread.sleep(millis);
    return ApiResponse.json(Map.of("device", device, "ms", millis, "served", served.incrementAndGet()));
  }

  @Override
  public void close() {
    log.info("sim closed on device {} after {} inferences", device, served.get());
  }
}
