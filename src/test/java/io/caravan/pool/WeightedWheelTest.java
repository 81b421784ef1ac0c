package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedWheelTest {

    private static int[] turns(WeightedWheel wheel, int members, long from, long count) {
        int[] counts = new int[members];
        for (long t = from; t < from + count; t++) {
            counts[wheel.member(t)]++;
        }
        return counts;
    }

    @Test
    void oneToThreeInterleavesTheHeavyMembersTurns() {
        WeightedWheel wheel = new WeightedWheel(new int[] {1, 3});
        assertEquals(4, wheel.cycleLength());
        int[] order = new int[8];
        for (int t = 0; t < order.length; t++) {
            order[t] = wheel.member(t);
        }
        assertArrayEquals(new int[] {1, 0, 1, 1, 1, 0, 1, 1}, order);
    }

    @Test
    void weightsWithACommonDivisorMakeTheSameShorterCycle() {
        WeightedWheel wheel = new WeightedWheel(new int[] {200, 600});
        assertEquals(4, wheel.cycleLength());
        assertArrayEquals(new int[] {100, 300}, turns(wheel, 2, 0, 400));
    }

    @Test
    void everyCycleGivesEachMemberExactlyItsWeightFromAnyStartingTurn() {
        Random random = new Random(15);
        int[] weights = new int[1000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + random.nextInt(1000);
        }
        WeightedWheel wheel = new WeightedWheel(weights);
        long cycle = wheel.cycleLength();
        assertArrayEquals(weights, turns(wheel, weights.length, 0, cycle));
        assertArrayEquals(weights, turns(wheel, weights.length, 7 * cycle + 12_345, cycle));
    }

    @Test
    void equalWeightsAreRoundRobinInTheFilesOrder() {
        WeightedWheel wheel = new WeightedWheel(new int[] {5, 5, 5});
        assertEquals(3, wheel.cycleLength());
        assertArrayEquals(new int[] {0, 1, 2}, new int[] {wheel.member(0), wheel.member(1), wheel.member(2)});
    }

    @Test
    void aWheelNeedsMembersOfPositiveWeight() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedWheel(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new WeightedWheel(new int[] {1, 0}));
    }
}
