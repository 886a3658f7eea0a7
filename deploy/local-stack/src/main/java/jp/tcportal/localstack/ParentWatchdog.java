package jp.tcportal.localstack;

import java.util.Optional;

/**
 * A Java agent loaded into every service the launcher starts ({@code -javaagent:...=<launcher
 * pid>}): when the launcher disappears without stopping its children (SIGKILL, a crash), the
 * service exits through its own shutdown hooks instead of running on unsupervised.
 *
 * <p>Public with a public {@code premain}, as the JVM's agent contract requires. It uses nothing
 * but the JDK, because the agent jar holds this one class.
 */
public final class ParentWatchdog {

  private ParentWatchdog() {}

  public static void premain(String launcherPid) {
    Optional<ProcessHandle> launcher = ProcessHandle.of(Long.parseLong(launcherPid.trim()));
    if (launcher.isEmpty()) {
      exitBecauseLauncherIsGone(launcherPid);
      return;
    }
    // onExit also completes at once if the launcher is already gone.
    launcher.get().onExit().thenRun(() -> exitBecauseLauncherIsGone(launcherPid));
  }

  private static void exitBecauseLauncherIsGone(String launcherPid) {
    System.err.println(
        "[watchdog] the local-stack launcher (pid " + launcherPid + ") is gone; stopping.");
    Thread exit = new Thread(() -> System.exit(0), "tcportal-parent-watchdog-exit");
    exit.start();
  }
}
