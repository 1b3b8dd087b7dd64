package io.modelserve.tools.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteadinessTest {

  @Test
  void aColdClustersSlowRampIsNotSteadyThoughTwoWindowsAgree() {
    // measured shape: a fresh cluster's first seconds under load, rising ~8 % a second
    List<Double> ramp = List.of(400.0, 650.0, 700.0, 760.0, 820.0);
    assertFalse(Steadiness.steady(ramp));
  }

  @Test
  void threeWindowsWithinTenPercentAreSteady() {
    assertTrue(Steadiness.steady(List.of(500.0, 6400.0, 6500.0, 6550.0)));
    assertTrue(Steadiness.steady(List.of(6000.0, 5500.0, 5900.0)));
  }

  @Test
  void aWarmUpGoesOnUntilTheJitHasHadItsRequestsHoweverSteady() {
    List<Double> flat = List.of(700.0, 700.0, 700.0);
    assertFalse(Steadiness.done(Steadiness.MIN_REQUESTS - 1, flat));
    assertTrue(Steadiness.done(Steadiness.MIN_REQUESTS, flat));
  }

  @Test
  void fewerThanThreeWindowsNeverAre() {
    assertFalse(Steadiness.steady(List.of()));
    assertFalse(Steadiness.steady(List.of(6500.0, 6500.0)));
  }

  @Test
  void oneWindowOutOfLineAmongTheLastThreeIsNot() {
    assertFalse(Steadiness.steady(List.of(6500.0, 5000.0, 6500.0)));
  }
}
