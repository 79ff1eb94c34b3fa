package org.orbis.client.objects;

import java.util.random.RandomGenerator;

/**
 * A value that moves by a random step each time it is advanced, staying inside {@code [low, high]}: a step that would
 * leave the range is taken in the other direction instead.
 * <p>
 * Every step moves by at least a quarter of {@code maxStep}, so two successive values (rounded to {@code decimals})
 * differ whenever {@code maxStep / 4} is larger than the rounding unit. Not thread-safe: the owning instance guards it.
 */
final class BoundedRandomWalk {

    private final double low;
    private final double high;
    private final double maxStep;
    private final double scale;
    private final RandomGenerator random;
    private double value;

    BoundedRandomWalk(double low, double high, double start, double maxStep, int decimals, RandomGenerator random) {
        if (!(low < high) || start < low || start > high || maxStep <= 0 || maxStep > (high - low) / 2) {
            throw new IllegalArgumentException(String.format(
                    "invalid random walk: start %s must lie in [%s, %s] and 0 < maxStep %s <= half the range",
                    start, low, high, maxStep));
        }
        this.low = low;
        this.high = high;
        this.maxStep = maxStep;
        this.scale = Math.pow(10, decimals);
        this.random = random;
        this.value = round(start);
    }

    double value() {
        return value;
    }

    /** Jumps to a given value (rounded like every value of the walk). */
    void set(double newValue) {
        value = round(newValue);
    }

    /** Moves the value by one random step and returns the new value. */
    double advance() {
        double magnitude = maxStep * (0.25 + 0.75 * random.nextDouble());
        double step = random.nextBoolean() ? magnitude : -magnitude;
        if (value + step > high || value + step < low) {
            step = -step;
        }
        value = round(value + step);
        return value;
    }

    private double round(double v) {
        return Math.round(v * scale) / scale;
    }
}
