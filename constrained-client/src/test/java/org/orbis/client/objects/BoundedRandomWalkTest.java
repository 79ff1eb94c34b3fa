package org.orbis.client.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BoundedRandomWalkTest {

    @Test
    void staysWithinItsBoundsAndMovesOnEveryStep() {
        BoundedRandomWalk walk = new BoundedRandomWalk(15, 30, 15.1, 0.25, 2, new SplittableRandom(7));
        double previous = walk.value();
        for (int i = 0; i < 10_000; i++) {
            double next = walk.advance();
            assertThat(next).isBetween(15.0, 30.0).isNotEqualTo(previous);
            assertThat(Math.abs(next - previous)).isLessThanOrEqualTo(0.25 + 1e-9);
            previous = next;
        }
    }

    @Test
    void rejectsAStartOutsideItsBounds() {
        assertThatThrownBy(() -> new BoundedRandomWalk(0, 10, 11, 1, 0, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
