package io.caravan.pool;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order in which the {@code weighted} strategy gives turns: interleaved weighted round-robin. Round {@code r}
 * (0-based) of a cycle holds every member whose weight is above {@code r}, heaviest first, so that over one cycle of
 * {@link #cycleLength()} turns each member gets exactly its weight's turns and heavy members' turns are spread over
 * the cycle instead of bunched (weights 1:3 give B A B B).
 *
 * <p>Built once per candidate set; {@link #member(long)} maps a turn to a member with a binary search over at most
 * {@link CredentialSpec#MAX_WEIGHT} round ends, so that a turn costs the same for ten members or a thousand, and the
 * wheel's memory is the members plus the rounds, never the sum of the weights.
 */
final class WeightedWheel {

    /** Member indices, heaviest first (ties in the file's order): round {@code r} is a prefix of this. */
    private final int[] byWeight;
    /** {@code roundEnds[r]}: the turns in rounds 0 to {@code r} together. */
    private final long[] roundEnds;

    /** @param weights each member's weight, at least 1; they are divided by their greatest common divisor first */
    WeightedWheel(int[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a wheel needs members");
        }
        int divisor = 0;
        int heaviest = 0;
        for (int w : weights) {
            if (w < 1) {
                throw new IllegalArgumentException("a weight is at least 1, got " + w);
            }
            divisor = gcd(divisor, w);
            heaviest = Math.max(heaviest, w);
        }
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / divisor;
        }
        this.byWeight = java.util.stream.IntStream.range(0, reduced.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> reduced[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        int rounds = heaviest / divisor;
        this.roundEnds = new long[rounds];
        // Members above weight r, counted down the sorted order: round r is the prefix of that length.
        int above = byWeight.length;
        long end = 0;
        for (int r = 0; r < rounds; r++) {
            while (above > 0 && reduced[byWeight[above - 1]] <= r) {
                above--;
            }
            end += above;
            roundEnds[r] = end;
        }
    }

    /** The turns of one cycle: the sum of the (reduced) weights. */
    long cycleLength() {
        return roundEnds[roundEnds.length - 1];
    }

    /** The rounds of a cycle: the heaviest (reduced) weight, the longest run of one member's turns. */
    int rounds() {
        return roundEnds.length;
    }

    /** The member index whose turn {@code turn} is (any non-negative count; it wraps at the cycle's end). */
    int member(long turn) {
        long position = turn % cycleLength();
        int round = Arrays.binarySearch(roundEnds, position + 1);
        if (round < 0) {
            round = -round - 1;
        }
        long roundStart = round == 0 ? 0 : roundEnds[round - 1];
        return byWeight[(int) (position - roundStart)];
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
