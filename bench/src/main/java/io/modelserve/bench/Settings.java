package io.modelserve.bench;

import java.util.List;

/**
 * How long and how hard each scenario runs. The full suite is sized to finish in under 20
 * minutes on 2 cores; quick mode only checks that everything still works, and its numbers are
 * not reported.
 */
record Settings(
    boolean quick,
    int overheadConcurrency,
    double overheadSeconds,
    int overheadRounds,
    double lowLoadSeconds,
    double warmupSeconds,
    List<Integer> scalingWorkers,
    double scalingSeconds,
    double balancingSeconds,
    int ocrRequestsPerImage,
    int ocrLatencyRequests,
    double footprintLoadSeconds,
    int wrkSeconds,
    int wrkRounds,
    int batchingClients,
    double batchingSeconds,
    int batchingRounds,
    int streamEvents,
    int streamFirstEventRequests,
    int streamRounds,
    String device,
    List<Integer> gpuWorkers) {

  /** The same settings with the device the GPU scenario (10) measures: {@code cpu} or a GPU index. */
  Settings withDevice(String d) {
    return new Settings(quick, overheadConcurrency, overheadSeconds, overheadRounds, lowLoadSeconds, warmupSeconds,
        scalingWorkers, scalingSeconds, balancingSeconds, ocrRequestsPerImage, ocrLatencyRequests, footprintLoadSeconds,
        wrkSeconds, wrkRounds, batchingClients, batchingSeconds, batchingRounds, streamEvents, streamFirstEventRequests,
        streamRounds, d, gpuWorkers);
  }

  static Settings forFullRun() {
    return new Settings(false, 16, 8, 3, 4, 6, List.of(1, 2, 4, 8, 16), 12, 12, 24, 8, 10, 5, 4,
        64, 10, 3, 20_000, 200, 3, "cpu", List.of(1, 2, 4));
  }

  static Settings forQuickRun() {
    return new Settings(true, 16, 2, 1, 1, 1, List.of(1, 2), 2, 2, 2, 2, 1, 2, 1,
        64, 2, 1, 1_000, 20, 1, "cpu", List.of(1, 2));
  }
}
