package io.dcx.hub.routing;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class LongSortTest {

    final SplittableRandom rnd = new SplittableRandom(5);

    @Test
    void sortsLikeArraysSortForManyShapesAndSizes() {
        LongSupplier uniform = () -> rnd.nextLong(Long.MAX_VALUE);
        LongSupplier routingKeys = () -> Double.doubleToRawLongBits(rnd.nextExponential() / (1 + rnd.nextInt(1000)));
        LongSupplier fewValues = () -> rnd.nextInt(4) * 1_000_000_007L;
        LongSupplier clustered = () -> rnd.nextInt(10) == 0 ? rnd.nextLong(Long.MAX_VALUE) : 1_000 + rnd.nextInt(50);
        LongSupplier powers = () -> 1L << rnd.nextInt(63);
        for (LongSupplier shape : new LongSupplier[] {uniform, routingKeys, fewValues, clustered, powers}) {
            for (int n : new int[] {0, 1, 2, 3, 24, 25, 64, 65, 100, 511, 1000, 5000}) {
                long[] a = new long[n + 6];
                for (int i = 0; i < a.length; i++) {
                    a[i] = shape.getAsLong();
                }
                long[] expected = a.clone();
                Arrays.sort(expected, 3, 3 + n);
                long[] scratch = new long[a.length];
                LongSort.sort(a, scratch, 3, 3 + n);
                assertThat(a).as("n=%d", n).isEqualTo(expected);
            }
        }
    }

    @Test
    void sortedAndReversedInput() {
        long[] asc = new long[3000];
        for (int i = 0; i < asc.length; i++) {
            asc[i] = i * 7L;
        }
        long[] desc = new long[asc.length];
        for (int i = 0; i < asc.length; i++) {
            desc[i] = asc[asc.length - 1 - i];
        }
        LongSort.sort(desc, new long[desc.length], 0, desc.length);
        assertThat(desc).isEqualTo(asc);
        long[] same = asc.clone();
        LongSort.sort(same, new long[same.length], 0, same.length);
        assertThat(same).isEqualTo(asc);
    }
}
