package io.caravan.e2e;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process the tests started together with everything it started: npm's {@code codex} launcher is a Node
 * script that runs the native binary as its child, and the agent runs shell commands below that, so killing only
 * the launcher could leave them running after the test.
 */
final class ProcessTree {

    private static final long EXIT_WAIT_SECONDS = 10;

    private ProcessTree() {
    }

    /** Kills the process and its descendants, if still alive, and waits briefly for them to go. */
    static void kill(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            for (ProcessHandle descendant : tree) {
                descendant.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception stillGoing) {
            // destroyForcibly was sent; the operating system finishes it.
        }
    }
}
