package io.caravan.bench.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the run happened on: cores, CPU model, memory, kernel, tool versions. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static JsonObject collect() {
        return new JsonObject()
                .put("nproc", Runtime.getRuntime().availableProcessors())
                .put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name"))
                .put("memory_gib", memoryGib())
                .put("kernel", read(Path.of("/proc/sys/kernel/osrelease")))
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("nginx", command(List.of("nginx", "-v")))
                .put("wrk", command(List.of("wrk", "-v")));
    }

    /** The 1-, 5- and 15-minute load averages: other work on the machine shows here. */
    public static String loadAverage() {
        String[] parts = read(Path.of("/proc/loadavg")).split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static double memoryGib() {
        String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        try {
            return Math.round(Long.parseLong(total.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** First line a command prints (stdout or stderr). */
    private static String command(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
