package io.caravan.e2e;

/**
 * What a {@code codex exec} run left: its exit code, its standard output (the agent's final message, which is all
 * that {@code codex exec} prints there) and its standard error (the transcript: configuration, commands run and
 * their output, warnings and errors).
 */
record CodexResult(int exitCode, String stdout, String stderr) {

    /** The exit code recorded for a run that did not end within its bound (and was killed). */
    static final int TIMED_OUT = -1;

    /** Everything, for an assertion message. */
    String describe() {
        return "codex exit " + (exitCode == TIMED_OUT ? "(timed out, killed)" : exitCode) + "\n--- stdout\n" + stdout
                + "\n--- stderr\n" + stderr;
    }
}
