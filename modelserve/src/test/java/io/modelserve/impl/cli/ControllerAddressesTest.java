package io.modelserve.impl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A worker may name several controllers; a controller names only its own address. */
class ControllerAddressesTest {

  private static ServeCommand parse(String... args) {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void aWorkerJoinsThroughEveryControllerAndLinksToEach() {
    ServeCommand cmd = parse("--worker", "--name", "x", "--controller-addr", "http://10.0.0.1:8888,http://10.0.0.2:8888",
        "--worker-addr", "http://10.0.0.3:8880");
    assertNull(cmd.problem());
    assertEquals("10.0.0.1,10.0.0.2", cmd.joinHost());
    assertEquals("http://10.0.0.1:8888,http://10.0.0.2:8888", cmd.workerOptions().getControllerUrl());
    assertEquals("10.0.0.3", cmd.ownHost());
  }

  @Test
  void aWorkerWithoutControllerAddrLinksToTheDefaultController() {
    ServeCommand cmd = parse("--worker", "--name", "x");
    assertEquals("127.0.0.1", cmd.joinHost());
    assertEquals("http://127.0.0.1:8888", cmd.workerOptions().getControllerUrl());
  }

  @Test
  void aControllerHasOneAddress() {
    assertEquals("10.0.0.1", parse("--controller", "--controller-addr", "http://10.0.0.1:8888").ownHost());
    assertNotNull(parse("--controller", "--controller-addr", "http://10.0.0.1:8888,http://10.0.0.2:8888").problem());
  }

  @Test
  void everyAddressMustBeAnHttpUrl() {
    assertNotNull(parse("--worker", "--name", "x", "--controller-addr", "http://10.0.0.1:8888,ftp://b").problem());
  }
}
