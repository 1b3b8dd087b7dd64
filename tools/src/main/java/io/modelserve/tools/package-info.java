/**
 * Client tools for a Model Serve controller: {@link io.modelserve.tools.Query} sends one
 * request and prints the answer, {@link io.modelserve.tools.LoadTester} drives many and
 * reports throughput and latency.
 *
 * <p>Both build their requests from one {@link io.modelserve.tools.RequestSpec}; a benchmark
 * runs loads in-process with {@link io.modelserve.tools.LoadTester#run(LoadOptions)} and
 * reads the numbers from {@link io.modelserve.tools.LoadResult}.
 */
package io.modelserve.tools;
