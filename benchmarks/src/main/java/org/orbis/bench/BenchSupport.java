package org.orbis.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/** Timing helpers for the benchmark commands: wall-clock samples and their percentiles. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** Runs {@code work} {@code warmup} times unmeasured, then {@code runs} times; returns milliseconds per run. */
    static <T> List<Double> time(int warmup, int runs, Callable<T> work) throws Exception {
        for (int i = 0; i < warmup; i++) {
            work.call();
        }
        List<Double> samples = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.call();
            samples.add((System.nanoTime() - start) / 1e6);
        }
        return samples;
    }

    static double percentile(List<Double> samples, double p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String row(String name, List<Double> samples) {
        return String.format("%-62s p50 %9.2f ms   p99 %9.2f ms", name, percentile(samples, 50), percentile(samples, 99));
    }
}
