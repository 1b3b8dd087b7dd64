package io.modelserve.bench;

/** One benchmark: starts what it needs, measures, records into {@link Results}, stops it all. */
interface Scenario {

  /** The heading in the report, e.g. "1. Overhead". */
  String title();

  /** Seconds after which the suite stops it and moves on. */
  long limitSeconds(Settings settings);

  void run(Run run) throws Exception;
}
