package io.modelserve.impl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.fixtures.Greeter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line's answers to good and bad flags; nothing here starts a cluster. */
class LauncherTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Launcher.start(args, Greeter.class, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String errLines() {
    return err.toString().strip();
  }

  @Test
  void helpPrintsUsageWithTheOriginalFlags() {
    assertEquals(0, run("--help"));
    for (String flag : new String[] {"--controller", "--worker", "--port", "--name", "--device",
        "--controller-addr", "--worker-addr", "--cluster-config", "--webroot", "--timeout-ms"}) {
      assertTrue(out.toString().contains(flag), flag + " in\n" + out);
    }
  }

  @Test
  void noRoleIsOneClearLine() {
    assertEquals(2, run("--port", "8888"));
    assertEquals(1, errLines().lines().count(), errLines());
    assertTrue(errLines().contains("--controller") && errLines().contains("--worker"), errLines());
  }

  @Test
  void bothRolesAreRefused() {
    assertEquals(2, run("--controller", "--worker"));
    assertEquals(1, errLines().lines().count(), errLines());
  }

  @Test
  void unknownFlagIsOneClearLine() {
    assertEquals(2, run("--controller", "--prot", "1"));
    assertEquals(1, errLines().lines().count(), errLines());
    assertTrue(errLines().contains("--prot"), errLines());
  }

  @Test
  void aLimitThatIsNotPositiveIsNamedWithItsValue() {
    assertEquals(2, run("--controller", "--port", "0", "--max-queue", "-1"));
    assertEquals(1, errLines().lines().count(), errLines());
    assertTrue(errLines().contains("--max-queue must be positive, not -1"), errLines());
    err.getBuffer().setLength(0);
    assertEquals(2, run("--controller", "--port", "0", "--stream-window", "0"));
    assertTrue(errLines().contains("--stream-window must be positive, not 0"), errLines());
  }

  @Test
  void badPortNumberIsOneClearLine() {
    assertEquals(2, run("--controller", "--port", "eighty"));
    assertTrue(errLines().contains("eighty"), errLines());
    assertEquals(2, run("--controller", "--port", "70000"));
  }

  @Test
  void workerWithoutNameIsRefused() {
    assertEquals(2, run("--worker", "--port", "8880"));
    assertTrue(errLines().contains("--name"), errLines());
  }

  @Test
  void nameThatMatchesNoServiceListsTheServices() {
    assertEquals(2, run("--worker", "--name", "nope"));
    assertTrue(errLines().contains("nope") && errLines().contains("greeter"), errLines());
    assertEquals(1, errLines().lines().count(), errLines());
  }

  @Test
  void badUrlsAndMissingFilesAreRefused() {
    assertEquals(2, run("--worker", "--name", "greeter", "--controller-addr", "localhost:8888"));
    assertTrue(errLines().contains("localhost:8888"), errLines());
    assertEquals(2, run("--controller", "--cluster-config", "/no/such/cluster.xml"));
    assertTrue(errLines().contains("/no/such/cluster.xml"), errLines());
  }
}
