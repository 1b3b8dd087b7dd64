package io.modelserve.examples.echo;

import io.modelserve.Api;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.BatchModel;
import io.modelserve.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stands in for a batched GPU model: one call holds the device {@code ms} milliseconds (setting,
 * default 20) plus {@code item-ms} per request in it (default 0), whatever the batch size up to
 * 8. Each answer says how many requests shared its call. A request with {@code ?fail=1} is
 * answered 400 on its own, the rest of its batch normally.
 */
@Api(name = "sim-batch", maxBatchSize = 8)
public class SimulatedBatchModel implements BatchModel {

  private long millis;
  private double itemMillis;

  @Override
  public void init(String device, Settings settings) {
    millis = settings.getLong("ms", 20);
    itemMillis = settings.getDouble("item-ms", 0);
    if (millis < 0 || itemMillis < 0) {
      throw new IllegalArgumentException("settings 'ms' and 'item-ms' must not be negative");
    }
  }

  @Override
  public List<ApiResponse> inferenceBatch(List<ApiRequest> requests) throws InterruptedException {
    long nanos = (long) ((millis + itemMillis * requests.size()) * 1_000_000);
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    List<ApiResponse> answers = new ArrayList<>(requests.size());
    for (ApiRequest r : requests) {
      answers.add(r.query("fail") != null ? ApiResponse.error(400, "this item was asked to fail")
          : ApiResponse.json(Map.of("batch", requests.size())));
    }
    return answers;
  }
}
