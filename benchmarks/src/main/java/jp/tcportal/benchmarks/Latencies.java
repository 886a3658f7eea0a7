package jp.tcportal.benchmarks;

import java.util.Arrays;

/** Latency samples in nanoseconds, kept whole (a run has at most a few hundred thousand). */
final class Latencies {

  private long[] samples = new long[1 << 16];
  private int size;

  synchronized void record(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  /** The value below which {@code percent} of the samples lie, in milliseconds. */
  synchronized double percentileMillis(double percent) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1_000_000.0;
  }
}
